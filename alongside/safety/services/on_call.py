"""The on-call rota: its shifts, the phone an urgent alert goes to, and moving an urgent
escalation along the rota until someone acknowledges it.

An urgent escalation is offered to one person at a time, on every channel they have: first who
is on call, then the next on the rota, then the backup, then the program's other coordinators,
and round again until someone acknowledges it. Each step claims the escalation with a
conditional UPDATE, so the periodic job is safe to run twice, even at the same time.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from alongside.accounts.models import ROTA_ROLES, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, RECIPIENT, Contact, notify
from alongside.programs.models import Program
from alongside.programs.queries import members_of
from alongside.safety import messages
from alongside.safety.models import (
    Escalation,
    EscalationEvent,
    EventKind,
    OnCallShift,
    SafetyContact,
    ShiftOrder,
)
from alongside.safety.queries import escalations_to_move_up, rota_for

MOVE_UP_BATCH_SIZE = 500  # escalations a run; the rest move on the next minute


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
    if not members_of(program, ROTA_ROLES).filter(pk=user.pk).exists():
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
    offer_to_next(escalation, step=step + 1, now=now)
    return 1


def offer_to_next(escalation: Escalation, *, step: int, now: dt.datetime) -> None:
    """Alert the person at `step` of the rota (round again past its end) and start their clock."""
    program = escalation.program
    people = rota_for(program, now) or list(members_of(program, ROTA_ROLES))
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
    phone = SafetyContact.objects.filter(user=person).values_list("mobile_phone", flat=True).first()
    link = reverse("safety:escalation_detail", args=[escalation.pk])
    queued = notify(
        kind=messages.ESCALATION_URGENT,
        recipients=[Contact.of(person, phone=phone or "")],
        context={
            "number": escalation.pk,
            "minutes": program.acknowledge_within_minutes,
            "link": settings.SITE_URL + link,
        },
        idempotency_key=("safety.escalation", escalation.pk, step, RECIPIENT, CHANNEL),
        channels=[Channel.IN_APP, Channel.EMAIL, Channel.SMS],
        program=program,
        link=link,
    )
    return [str(message.channel) for message in queued]
