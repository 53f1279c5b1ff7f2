"""Every change to escalations, the on-call rota and time-to-match alerts.

An urgent escalation is offered to one person at a time, on every channel they have: first who
is on call, then the next on the rota, then the backup, then the program's other coordinators,
and round again until someone acknowledges it. Each step claims the escalation with a
conditional UPDATE, so the periodic job is safe to run twice, even at the same time.
"""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import ContactLog, Match
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.programs.models import Program
from alongside.safety.models import (
    OPEN_ESCALATION_STATUSES,
    Escalation,
    EscalationEvent,
    EscalationStatus,
    EventKind,
    OnCallShift,
    SafetyContact,
    ShiftOrder,
    SlaAlert,
    SlaAlertKind,
    Urgency,
)

ROTA_ROLES = (Role.COORDINATOR, Role.ADMINISTRATOR)
# An unmatched request is "at risk" this long before it falls due. Requests fall due at the end
# of a business day, so for any business day of at least this length these are business hours.
SLA_RISK_WINDOW = dt.timedelta(hours=4)
MOVE_UP_BATCH_SIZE = 500  # escalations a run; the rest move on the next minute


# ---- escalations ----------------------------------------------------------------------------


@transaction.atomic
def raise_escalation(
    *,
    program: Program,
    raised_by: User | None,
    urgency: str,
    what_happened: str,
    match: Match | None = None,
    contact: ContactLog | None = None,
    support_request: SupportRequest | None = None,
) -> Escalation:
    """Record an escalation and alert at once: urgent ones the on-call person, on every channel."""
    if urgency not in Urgency.values:
        raise DomainError(_("Choose how urgent this is."))
    what_happened = what_happened.strip()
    if not what_happened:
        raise DomainError(_("Tell us what happened, in a few words."))
    if contact is not None and match is None:
        match = contact.match
    if contact is not None and match is not None and contact.match_id != match.pk:
        raise DomainError(_("That contact belongs to another match."))
    for linked in (match, support_request):
        if linked is not None and linked.program_id != program.pk:
            raise DomainError(_("That belongs to another program."))
    escalation = Escalation.objects.create(
        program=program,
        match=match,
        contact=contact,
        support_request=support_request,
        raised_by=raised_by,
        urgency=urgency,
        what_happened=what_happened,
    )
    EscalationEvent.objects.create(escalation=escalation, kind=EventKind.RAISED, actor=raised_by)
    record_event(
        actor=raised_by,
        action="safety.escalation.raised",
        target=escalation,
        data={
            "urgency": urgency,
            "match_id": match.pk if match else None,
            "contact_id": contact.pk if contact else None,
            "support_request_id": support_request.pk if support_request else None,
        },
    )
    if escalation.is_urgent:
        _offer_to_next(escalation, step=0, now=timezone.now())
    else:
        _tell_coordinators(escalation)
    return escalation


@transaction.atomic
def acknowledge_escalation(*, escalation: Escalation, actor: User) -> Escalation:
    """Take an escalation: it stops moving along the rota; its raiser learns who has it."""
    now = timezone.now()
    taken = Escalation.objects.filter(pk=escalation.pk, status=EscalationStatus.RAISED).update(
        status=EscalationStatus.ACKNOWLEDGED,
        acknowledged_by=actor,
        acknowledged_at=now,
        assigned_to=actor,
        next_alert_at=None,
    )
    escalation.refresh_from_db()
    if not taken:
        if escalation.acknowledged_by_id == actor.pk:
            return escalation
        raise DomainError(
            _("%(name)s has already acknowledged this escalation.")
            % {"name": escalation.acknowledged_by or _("Someone")}
        )
    EscalationEvent.objects.create(escalation=escalation, kind=EventKind.ACKNOWLEDGED, actor=actor)
    record_event(actor=actor, action="safety.escalation.acknowledged", target=escalation)
    _tell_raiser(
        escalation,
        key="acknowledged",
        body=_("%(name)s has your escalation #%(number)s and is dealing with it.")
        % {"name": actor.display_name, "number": escalation.pk},
    )
    return escalation


@transaction.atomic
def add_escalation_note(*, escalation: Escalation, actor: User, note: str) -> EscalationEvent:
    note = note.strip()
    if not note:
        raise DomainError(_("Write the note first."))
    event = EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.NOTE, actor=actor, note=note
    )
    record_event(actor=actor, action="safety.escalation.noted", target=escalation)
    return event


@transaction.atomic
def resolve_escalation(*, escalation: Escalation, actor: User, outcome: str) -> Escalation:
    """Close an escalation with its outcome; resolving one nobody took also acknowledges it."""
    outcome = outcome.strip()
    if not outcome:
        raise DomainError(_("Say how it was resolved."))
    now = timezone.now()
    open_escalation = Escalation.objects.filter(
        pk=escalation.pk, status__in=OPEN_ESCALATION_STATUSES
    )
    if escalation.status == EscalationStatus.RAISED:
        open_escalation.filter(status=EscalationStatus.RAISED).update(
            acknowledged_by=actor, acknowledged_at=now
        )
    resolved = open_escalation.update(
        status=EscalationStatus.RESOLVED,
        resolved_by=actor,
        resolved_at=now,
        outcome=outcome,
        next_alert_at=None,
    )
    if not resolved:
        raise DomainError(_("This escalation is already resolved."))
    escalation.refresh_from_db()
    EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.RESOLVED, actor=actor, note=outcome
    )
    record_event(actor=actor, action="safety.escalation.resolved", target=escalation)
    _tell_raiser(
        escalation,
        key="resolved",
        body=_("Your escalation #%(number)s has been resolved by %(name)s.")
        % {"name": actor.display_name, "number": escalation.pk},
    )
    return escalation


def escalations_to_move_up(now: dt.datetime) -> QuerySet[Escalation]:
    """Urgent escalations nobody acknowledged in time, the longest waiting first."""
    return Escalation.objects.filter(
        status=EscalationStatus.RAISED, urgency=Urgency.URGENT, next_alert_at__lte=now
    ).order_by("next_alert_at", "pk")


@transaction.atomic
def move_up_escalation(escalation_id: int, now: dt.datetime) -> int:
    """Offer one urgent escalation not acknowledged in time to the next person on the rota.

    Returns 1 if it moved. Safe to run twice: the move claims its step with a conditional
    UPDATE, and its alerts are written in the same transaction.
    """
    due = escalations_to_move_up(now).filter(pk=escalation_id)
    step = due.values_list("alert_step", flat=True).first()
    if step is None or not due.filter(alert_step=step).update(alert_step=step + 1):
        return 0
    escalation = Escalation.objects.select_related("program", "assigned_to").get(pk=escalation_id)
    EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.MOVED_ON, recipient=escalation.assigned_to
    )
    record_event(
        actor=None,
        action="safety.escalation.moved_on",
        target=escalation,
        data={"step": step + 1},
    )
    _offer_to_next(escalation, step=step + 1, now=now)
    return 1


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
    for user in _staff_of(program, roles=(Role.COORDINATOR,)).order_by("id"):
        if user not in people:
            people.append(user)
    return people


def _staff_of(program: Program, *, roles: tuple[Role, ...] = ROTA_ROLES) -> QuerySet[User]:
    return User.objects.filter(
        memberships__program=program,
        memberships__role__in=roles,
        memberships__is_active=True,
        is_active=True,
    ).distinct()


def _offer_to_next(escalation: Escalation, *, step: int, now: dt.datetime) -> None:
    """Alert the person at `step` of the rota (round again past its end) and start their clock."""
    program = escalation.program
    people = rota_for(program, now) or list(_staff_of(program))
    deadline = now + dt.timedelta(minutes=program.acknowledge_within_minutes)
    if not people:
        EscalationEvent.objects.create(escalation=escalation, kind=EventKind.NOBODY_TO_ALERT)
        record_event(actor=None, action="safety.escalation.nobody_on_call", target=escalation)
        Escalation.objects.filter(pk=escalation.pk).update(
            alert_step=step, assigned_to=None, next_alert_at=deadline
        )
        escalation.alert_step, escalation.assigned_to, escalation.next_alert_at = (
            step,
            None,
            deadline,
        )
        return
    person = people[step % len(people)]
    channels = _alert(escalation, person, step=step)
    EscalationEvent.objects.create(
        escalation=escalation, kind=EventKind.ALERTED, recipient=person, channels=channels
    )
    Escalation.objects.filter(pk=escalation.pk).update(
        alert_step=step, assigned_to=person, next_alert_at=deadline
    )
    escalation.alert_step, escalation.assigned_to, escalation.next_alert_at = step, person, deadline


def _alert(escalation: Escalation, person: User, *, step: int) -> list[str]:
    """Queue the urgent alert to one person on every channel they have; returns the channels."""
    program = escalation.program
    link = settings.SITE_URL + reverse("safety:escalation_detail", args=[escalation.pk])
    subject = _("Urgent: escalation #%(number)s needs you now") % {"number": escalation.pk}
    body = _(
        "A supporter in %(program)s raised an urgent escalation. Please acknowledge it within "
        "%(minutes)s minutes, or it goes to the next person on call: %(link)s"
    ) % {"program": program.name, "minutes": program.acknowledge_within_minutes, "link": link}
    addresses: list[tuple[str, str]] = [(Channel.IN_APP, person.email)]
    if person.email:
        addresses.append((Channel.EMAIL, person.email))
    phone = SafetyContact.objects.filter(user=person).values_list("mobile_phone", flat=True).first()
    if phone:
        addresses.append((Channel.SMS, phone))
    for channel, address in addresses:
        queue_message(
            channel=channel,
            to_address=address,
            subject=subject,
            body=body,
            idempotency_key=f"safety.escalation:{escalation.pk}:{step}:{person.pk}:{channel}",
            program=program,
            recipient=person,
        )
    return [str(channel) for channel, _address in addresses]


def _tell_coordinators(escalation: Escalation) -> None:
    """A beyond-my-role escalation: every coordinator hears of it in the app and by e-mail."""
    program = escalation.program
    link = settings.SITE_URL + reverse("safety:escalation_detail", args=[escalation.pk])
    subject = _("A supporter needs your help (escalation #%(number)s)") % {"number": escalation.pk}
    body = _("A supporter in %(program)s asked for a coordinator's help: %(link)s") % {
        "program": program.name,
        "link": link,
    }
    coordinators = list(_staff_of(program, roles=(Role.COORDINATOR,)))
    for person in coordinators:
        for channel in (Channel.IN_APP, Channel.EMAIL):
            queue_message(
                channel=channel,
                to_address=person.email,
                subject=subject,
                body=body,
                idempotency_key=f"safety.escalation:{escalation.pk}:help:{person.pk}:{channel}",
                program=program,
                recipient=person,
            )
        EscalationEvent.objects.create(
            escalation=escalation,
            kind=EventKind.ALERTED,
            recipient=person,
            channels=[Channel.IN_APP, Channel.EMAIL],
        )
    if not coordinators:
        EscalationEvent.objects.create(escalation=escalation, kind=EventKind.NOBODY_TO_ALERT)


def _tell_raiser(escalation: Escalation, *, key: str, body: str) -> None:
    if escalation.raised_by is None:
        return
    queue_message(
        channel=Channel.IN_APP,
        to_address=escalation.raised_by.email,
        subject=_("About your escalation #%(number)s") % {"number": escalation.pk},
        body=body,
        idempotency_key=f"safety.escalation:{escalation.pk}:{key}:raiser",
        program=escalation.program,
        recipient=escalation.raised_by,
    )


# ---- on-call rota ---------------------------------------------------------------------------


@transaction.atomic
def add_on_call_shift(
    *,
    program: Program,
    user: User,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    order: int,
    actor: User,
) -> OnCallShift:
    if ends_at <= starts_at:
        raise DomainError(_("A shift must end after it starts."))
    if ends_at - starts_at > dt.timedelta(days=31):
        raise DomainError(_("A shift can be at most 31 days long; add several."))
    if order not in ShiftOrder.values:
        raise DomainError(_("Choose on call or backup."))
    if not _staff_of(program).filter(pk=user.pk).exists():
        raise DomainError(_("Only the program's coordinators can be on call."))
    shift = OnCallShift.objects.create(
        program=program,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        order=order,
        created_by=actor,
    )
    record_event(
        actor=actor,
        action="safety.shift.added",
        target=shift,
        data={"user_id": user.pk, "order": order},
    )
    return shift


@transaction.atomic
def remove_on_call_shift(*, shift: OnCallShift, actor: User) -> None:
    record_event(
        actor=actor,
        action="safety.shift.removed",
        target=shift,
        data={"user_id": shift.user_id, "order": shift.order},
    )
    shift.delete()


@transaction.atomic
def set_mobile_phone(*, user: User, mobile_phone: str) -> SafetyContact:
    contact, _created = SafetyContact.objects.update_or_create(
        user=user, defaults={"mobile_phone": mobile_phone}
    )
    record_event(actor=user, action="safety.contact.updated", target=contact, program_id=None)
    return contact


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


# ---- time to match --------------------------------------------------------------------------


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


def check_time_to_match(request_id: int, now: dt.datetime) -> int:
    """Alert coordinators of one unmatched request nearly due; record it if past due.

    Returns how many alerts were recorded. Safe to run twice: one SlaAlert per request and kind.
    """
    support_request = (
        SupportRequest.objects.filter(pk=request_id, status=RequestStatus.NEW)
        .select_related("program")
        .first()
    )
    if support_request is None:
        return 0
    already = set(
        SlaAlert.objects.filter(support_request=support_request).values_list("kind", flat=True)
    )
    recorded = 0
    for kind in sla_alert_kinds(support_request.due_at, now):
        if kind not in already and _record_sla_alert(support_request, kind):
            recorded += 1
    return recorded


def sla_alert_kinds(due_at: dt.datetime, now: dt.datetime) -> list[SlaAlertKind]:
    """What an unmatched request due at `due_at` has reached by `now`: nearly due, past due."""
    kinds = []
    if now >= due_at - SLA_RISK_WINDOW:
        kinds.append(SlaAlertKind.AT_RISK)
    if now >= due_at:
        kinds.append(SlaAlertKind.BREACHED)
    return kinds


def _record_sla_alert(support_request: SupportRequest, kind: SlaAlertKind) -> bool:
    try:
        with transaction.atomic():
            alert = SlaAlert.objects.create(
                program=support_request.program,
                support_request=support_request,
                kind=kind,
                due_at=support_request.due_at,
            )
            record_event(
                actor=None,
                action=f"safety.sla.{kind}",
                target=support_request,
                data={"due_at": support_request.due_at.isoformat()},
            )
            _tell_about_sla(support_request, alert)
    except IntegrityError:
        return False  # another run recorded it first
    return True


def _tell_about_sla(support_request: SupportRequest, alert: SlaAlert) -> None:
    program = support_request.program
    due = timezone.localtime(support_request.due_at, program.calendar.zone)
    link = settings.SITE_URL + reverse("intake:queue")
    if alert.kind == SlaAlertKind.AT_RISK:
        subject = _("Request #%(number)s is nearly due") % {"number": support_request.pk}
        body = _("Request #%(number)s is still waiting for a match and is due by %(due)s: %(link)s")
    else:
        subject = _("Request #%(number)s is past due") % {"number": support_request.pk}
        body = _("Request #%(number)s was due by %(due)s and still has no match: %(link)s")
    body = body % {
        "number": support_request.pk,
        "due": due.strftime("%Y-%m-%d %H:%M %Z"),
        "link": link,
    }
    for person in _staff_of(program, roles=(Role.COORDINATOR,)):
        for channel in (Channel.IN_APP, Channel.EMAIL):
            queue_message(
                channel=channel,
                to_address=person.email,
                subject=subject,
                body=body,
                idempotency_key=f"safety.sla:{support_request.pk}:{alert.kind}:{person.pk}:{channel}",
                program=program,
                recipient=person,
            )


# ---- crisis screening -----------------------------------------------------------------------


@transaction.atomic
def raise_crisis_escalation(
    *, support_request: SupportRequest, answers: list[tuple[str, str]]
) -> Escalation:
    """An urgent escalation for a request whose crisis screening signalled a crisis.

    One per request: sending the same form twice raises no second escalation.
    """
    # Lock the request so two copies of one form cannot both raise one.
    SupportRequest.objects.select_for_update().filter(pk=support_request.pk).first()
    existing = Escalation.objects.filter(
        support_request=support_request, urgency=Urgency.URGENT, raised_by__isnull=True
    ).first()
    if existing is not None:
        return existing
    lines = [_("The person's answers to the crisis screening on the request form:")]
    lines += [f"- {question} {answer}" for question, answer in answers]
    return raise_escalation(
        program=support_request.program,
        raised_by=None,
        urgency=Urgency.URGENT,
        what_happened="\n".join(lines),
        support_request=support_request,
    )
