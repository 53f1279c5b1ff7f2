from django.shortcuts import get_object_or_404

from alongside.accounts.models import STAFF_ROLES, User
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.safety.models import Escalation, OnCallShift


def get_escalation_for(user: User, escalation_id: int, *, manage: bool = False) -> Escalation:
    """An escalation the user may see: program staff, or who raised it (404 otherwise).

    Managing it (acknowledge, note, resolve) is for the program's staff only.
    """
    queryset = Escalation.objects.select_related(
        "program", "raised_by", "assigned_to", "acknowledged_by", "resolved_by", "match"
    )
    if manage:
        queryset = queryset.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
    else:
        queryset = queryset.visible_to(user)
    return get_object_or_404(queryset, pk=escalation_id)


def can_manage(user: User, escalation: Escalation) -> bool:
    return Program.objects.filter(
        pk=escalation.program_id, pk__in=program_ids_for(user, STAFF_ROLES)
    ).exists()


def get_shift_for(user: User, shift_id: int) -> OnCallShift:
    return get_object_or_404(
        OnCallShift.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES)),
        pk=shift_id,
    )
