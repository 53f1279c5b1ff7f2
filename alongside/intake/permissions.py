from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.accounts.queries import program_ids_for
from alongside.intake.models import SupportRequest


def get_request_for(user: User, request_id: int, *, write: bool = False) -> SupportRequest:
    """A request the user may see (404 otherwise); only program staff may act on it."""
    queryset = SupportRequest.objects.visible_to(user)
    if write:
        queryset = queryset.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    return get_object_or_404(
        queryset.select_related("program", "peer", "experience", "site"), pk=request_id
    )
