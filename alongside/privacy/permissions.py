from django.http import Http404

from alongside.accounts.models import User
from alongside.privacy.models import Consent


def get_consent_for(user: User, consent_id: int) -> Consent:
    """A consent the user may see: its program's staff only (404 otherwise), who are also the
    ones who withdraw it on the person's request."""
    found = (
        Consent.objects.visible_to(user)
        .select_related("program", "text", "support_request__peer", "application")
        .filter(pk=consent_id)
        .first()
    )
    if found is None:
        raise Http404
    return found
