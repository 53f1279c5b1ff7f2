import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.intake.models import SLA_RISK_WINDOW as SLA_RISK_WINDOW  # intake's; read here too
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.programs.models import Program
from alongside.programs.queries import members_of, program_ids_for, programs_staffed_by
from alongside.safety.models import (
    Escalation,
    EscalationEvent,
    EscalationStatus,
    OnCallShift,
    SafetyContact,
    SlaAlert,
    SlaAlertKind,
    Urgency,
)

COVERAGE_LOOKAHEAD = dt.timedelta(days=7)


def crisis_escalation_for(support_request: SupportRequest) -> Escalation | None:
    """The urgent escalation a request's crisis screening raised, if it raised one."""
    return Escalation.objects.filter(
        support_request=support_request, urgency=Urgency.URGENT, raised_by__isnull=True
    ).first()


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
        for program in programs_staffed_by(user)
        for gap_start, gap_end in on_call_gaps(program, start, end)
    ]


def escalations_to_move_up(now: dt.datetime) -> QuerySet[Escalation]:
    """Urgent escalations nobody acknowledged in time, the longest waiting first."""
    return Escalation.objects.filter(
        status=EscalationStatus.RAISED, urgency=Urgency.URGENT, next_alert_at__lte=now
    ).order_by("next_alert_at", "pk")


def rota_for(program: Program, moment: dt.datetime) -> list[User]:
    """Whom an urgent escalation goes to at `moment`, in order: on call, backup, then the rest."""
    people: list[User] = []
    shifts = (
        OnCallShift.objects.covering(moment)
        .filter(program=program, user__is_active=True)
        .select_related("user")
        .order_by("order", "starts_at", "id")
    )
    for shift in shifts:
        if shift.user not in people:
            people.append(shift.user)
    for user in members_of(program, [Role.COORDINATOR]):
        if user not in people:
            people.append(user)
    return people


def on_call_gaps(
    program: Program, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.datetime]]:
    """The stretches between `start` and `end` when nobody (on call or backup) is on the rota."""
    shifts = OnCallShift.objects.filter(
        program=program, starts_at__lt=end, ends_at__gt=start, user__is_active=True
    ).order_by("starts_at")
    gaps: list[tuple[dt.datetime, dt.datetime]] = []
    covered_until = start
    for starts_at, ends_at in shifts.values_list("starts_at", "ends_at"):
        if starts_at > covered_until:
            gaps.append((covered_until, starts_at))
        covered_until = max(covered_until, ends_at)
    if covered_until < end:
        gaps.append((covered_until, end))
    return gaps


def requests_reaching_time_to_match(now: dt.datetime) -> QuerySet[SupportRequest]:
    """Unmatched requests that have reached an alert they do not have yet, the earliest due first.

    Nearly due once within SLA_RISK_WINDOW of their due time, past due once it has passed.
    """
    alerted = SlaAlert.objects.filter(support_request=OuterRef("pk"))
    return (
        SupportRequest.objects.filter(status=RequestStatus.NEW, due_at__lte=now + SLA_RISK_WINDOW)
        .exclude(Exists(alerted.filter(kind=SlaAlertKind.BREACHED)))
        .exclude(Q(due_at__gt=now) & Exists(alerted.filter(kind=SlaAlertKind.AT_RISK)))
        .order_by("due_at", "pk")
    )


def sla_alert_kinds(due_at: dt.datetime, now: dt.datetime) -> list[SlaAlertKind]:
    """What an unmatched request due at `due_at` has reached by `now`: nearly due, past due."""
    kinds = []
    if now >= due_at - SLA_RISK_WINDOW:
        kinds.append(SlaAlertKind.AT_RISK)
    if now >= due_at:
        kinds.append(SlaAlertKind.BREACHED)
    return kinds


def safety_contact_of(user: User) -> SafetyContact | None:
    """The mobile number an urgent escalation reaches the user at, if they gave one."""
    return SafetyContact.objects.filter(user=user).first()
