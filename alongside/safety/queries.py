import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from alongside.accounts.models import STAFF_ROLES, User
from alongside.accounts.queries import program_ids_for
from alongside.programs.models import Program
from alongside.safety import services
from alongside.safety.models import Escalation, EscalationEvent, OnCallShift

COVERAGE_LOOKAHEAD = dt.timedelta(days=7)


def staff_programs(user: User) -> QuerySet[Program]:
    return Program.objects.filter(pk__in=program_ids_for(user, STAFF_ROLES)).order_by("name")


def escalations_for_list(user: User, *, show_resolved: bool = False) -> QuerySet[Escalation]:
    """Escalations in the user's programs: waiting ones first, then by when raised."""
    queryset = Escalation.objects.filter(
        program_id__in=program_ids_for(user, STAFF_ROLES)
    ).select_related("program", "raised_by", "assigned_to", "acknowledged_by")
    if not show_resolved:
        queryset = queryset.open()
    return queryset.order_by("status", "-created_at")


def escalations_raised_by(user: User) -> QuerySet[Escalation]:
    return Escalation.objects.filter(raised_by=user).select_related("program", "acknowledged_by")


def timeline_for(escalation: Escalation) -> QuerySet[EscalationEvent]:
    return escalation.events.select_related("actor", "recipient")


def upcoming_shifts(user: User) -> QuerySet[OnCallShift]:
    return (
        OnCallShift.objects.filter(
            program_id__in=program_ids_for(user, STAFF_ROLES), ends_at__gt=timezone.now()
        )
        .select_related("program", "user")
        .order_by("program__name", "starts_at", "order")
    )


def coverage_gaps_for(user: User) -> list[tuple[Program, dt.datetime, dt.datetime]]:
    """Stretches in the next seven days when nobody is on call, in the user's programs."""
    start = timezone.now()
    end = start + COVERAGE_LOOKAHEAD
    return [
        (program, gap_start, gap_end)
        for program in staff_programs(user)
        for gap_start, gap_end in services.on_call_gaps(program, start, end)
    ]
