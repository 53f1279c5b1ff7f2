from axes.models import AccessAttempt
from django.http import Http404

from alongside.accounts.models import User
from alongside.accounts.queries import lockouts_visible_to


def get_lockout_for(user: User, attempt_id: int) -> AccessAttempt:
    """A failed sign-in that is part of a lockout in force the user may lift (404 otherwise)."""
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if (
        attempt is None
        or not lockouts_visible_to(user)
        .filter(username=attempt.username, ip_address=attempt.ip_address)
        .exists()
    ):
        raise Http404
    return attempt
