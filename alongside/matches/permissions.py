from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.accounts.queries import program_ids_for
from alongside.matches.models import Match


def get_match_for(user: User, match_id: int, *, write: bool = False) -> Match:
    """A match the user may see (404 otherwise). Writing: its supporter, or program staff."""
    match = get_object_or_404(
        Match.objects.visible_to(user).select_related(
            "program", "supporter__user", "request__peer", "request__experience"
        ),
        pk=match_id,
    )
    if write and match.supporter.user_id != user.pk:
        get_object_or_404(Match, pk=match_id, program_id__in=program_ids_for(user, STAFF_ROLES))
    return match
