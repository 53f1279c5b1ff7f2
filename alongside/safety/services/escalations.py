"""Escalations: raising one, taking it, notes on it, and its resolution.

An urgent escalation is offered at once to the person on call (see on_call); one beyond the
supporter's role goes to every coordinator of the program.
"""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import SupportRequest
from alongside.matches.models import ContactLog, Match
from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind, notify
from alongside.notifications.team import tell_coordinators
from alongside.notifications.webhooks.services import emit_event
from alongside.programs.models import Program
from alongside.programs.queries import members_of
from alongside.safety import messages
from alongside.safety.models import (
    OPEN_ESCALATION_STATUSES,
    Escalation,
    EscalationEvent,
    EscalationStatus,
    EventKind,
    Urgency,
)
from alongside.safety.services.on_call import offer_to_next


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
        offer_to_next(escalation, step=0, now=timezone.now())
    else:
        _tell_coordinators(escalation)
    emit_event(
        program=program,
        event=messages.ESCALATION_RAISED_EVENT,
        ids={
            "escalation": escalation.pk,
            "match": escalation.match_id,
            "request": escalation.support_request_id,
        },
    )
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
    _tell_raiser(escalation, kind=messages.ESCALATION_ACKNOWLEDGED, key="acknowledged", by=actor)
    emit_event(
        program=escalation.program,
        event=messages.ESCALATION_ACKNOWLEDGED_EVENT,
        ids={"escalation": escalation.pk},
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
    _tell_raiser(escalation, kind=messages.ESCALATION_RESOLVED, key="resolved", by=actor)
    return escalation


def _tell_coordinators(escalation: Escalation) -> None:
    """A beyond-my-role escalation: every coordinator hears of it in the app and by e-mail."""
    program = escalation.program
    channels = [Channel.IN_APP, Channel.EMAIL]
    link = reverse("safety:escalation_detail", args=[escalation.pk])
    tell_coordinators(
        program,
        kind=messages.ESCALATION_NEEDS_HELP,
        context={"number": escalation.pk, "link": settings.SITE_URL + link},
        key=("safety.escalation", escalation.pk, "help"),
        channels=channels,
        link=link,
    )
    coordinators = list(members_of(program, [Role.COORDINATOR]))
    EscalationEvent.objects.bulk_create(
        EscalationEvent(
            escalation=escalation, kind=EventKind.ALERTED, recipient=person, channels=channels
        )
        for person in coordinators
    )
    if not coordinators:
        EscalationEvent.objects.create(escalation=escalation, kind=EventKind.NOBODY_TO_ALERT)


def _tell_raiser(escalation: Escalation, *, kind: MessageKind, key: str, by: User) -> None:
    if escalation.raised_by is None:
        return
    notify(
        kind=kind,
        recipients=[escalation.raised_by],
        context={
            "name": by.display_name,
            "number": escalation.pk,
            "raised": escalation.created_at,  # in the raiser's own zone
        },
        idempotency_key=("safety.escalation", escalation.pk, key, "raiser"),
        channels=[Channel.IN_APP],
        program=escalation.program,
        link=reverse("safety:escalation_detail", args=[escalation.pk]),
    )
