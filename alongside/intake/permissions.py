from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.programs.queries import holds_role_in, program_ids_for


def get_request_for(user: User, request_id: int, *, write: bool = False) -> SupportRequest:
    """A request the user may see (404 otherwise); only program staff may act on it."""
    queryset = SupportRequest.objects.visible_to(user)
    if write:
        queryset = queryset.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    return get_object_or_404(
        queryset.select_related("program", "peer", "experience", "site"), pk=request_id
    )


def can_see_contact_details(user: User, support_request: SupportRequest) -> bool:
    """The promise on the request form: the person's phone and e-mail are seen only by the
    program's coordinators and their supporter (while their match is open)."""
    if holds_role_in(user, STAFF_ROLES, support_request.program_id):
        return True
    return support_request.matches.filter(
        supporter__user_id=user.pk, closed_at__isnull=True
    ).exists()
