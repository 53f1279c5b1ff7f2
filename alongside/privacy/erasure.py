"""Erasing a person on their request: everything held about them (a Peer, with their requests,
matches, contacts, consents, surveys and the messages to or about them) is de-identified now,
whatever the program's retention, by the same functions retention uses; the rows stay with their
program, dates, states and the categories reports count by, so every count is unchanged.

Refused while a legal hold on them, or on one of their matches, is in force, and while one of
their requests or matches is still open (the coordinator closes it first: closing is a decision
with its own reason and notices, not a side effect of erasing). Audited with counts only.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import Peer, RequestStatus, SupportRequest
from alongside.intake.services import deidentify_request
from alongside.matches.models import OPEN_MATCH_STATUSES, Match
from alongside.matches.services.closure import deidentify_match
from alongside.matching.models import Conflict, Proposal
from alongside.notifications.models import DELIVERABLE_STATUSES, MessageStatus, OutboxMessage
from alongside.notifications.providers.services import forget_addresses
from alongside.outcomes.models import Survey
from alongside.privacy.models import Consent, Deidentified, LegalHold, RetentionKind
from alongside.privacy.person_copy import sent_to_address_of
from alongside.safety.models import Escalation, EscalationEvent

OPEN_REQUEST = (RequestStatus.NEW, RequestStatus.MATCHED)


@dataclass(frozen=True)
class Held:
    """What erasing a person touches, by kind: counts only, never a name."""

    requests: int
    matches: int
    consents: int
    surveys: int
    messages: int
    escalations: int

    def as_data(self) -> dict[str, int]:
        return {
            "requests": self.requests,
            "matches": self.matches,
            "consents": self.consents,
            "surveys": self.surveys,
            "messages": self.messages,
            "escalations": self.escalations,
        }


def _requests(peer: Peer) -> list[SupportRequest]:
    return list(SupportRequest.objects.filter(peer=peer).order_by("pk"))


def _matches(peer: Peer) -> list[Match]:
    return list(Match.objects.filter(request__peer=peer).order_by("pk"))


def messages_about(peer: Peer) -> list[OutboxMessage]:
    """The messages sent to the person (to their e-mail or phone) or about them (linking to one
    of their requests' or matches' pages)."""
    links = [reverse("intake:request_detail", args=[r.pk]) for r in _requests(peer)]
    links += [reverse("matches:detail", args=[m.pk]) for m in _matches(peer)]
    found = {m.pk: m for m in OutboxMessage.objects.filter(link__in=links)} if links else {}
    found.update({m.pk: m for m in sent_to_address_of(peer)})
    if peer.user_id is not None:
        found.update({m.pk: m for m in OutboxMessage.objects.filter(recipient_id=peer.user_id)})
    return sorted(found.values(), key=lambda message: message.pk)


def what_goes(peer: Peer) -> Held:
    """How many of each kind erasing this person would de-identify."""
    matches = _matches(peer)
    return Held(
        requests=len(_requests(peer)),
        matches=len(matches),
        consents=Consent.objects.filter(Q(peer=peer) | Q(support_request__peer=peer)).count(),
        surveys=Survey.objects.filter(match__in=matches).count(),
        messages=len(messages_about(peer)),
        escalations=_escalations(peer).count(),
    )


def _escalations(peer: Peer) -> QuerySet[Escalation]:
    return Escalation.objects.filter(
        Q(support_request__peer=peer) | Q(match__request__peer=peer)
    ).distinct()


def refusal(peer: Peer) -> str | None:
    """Why this person cannot be erased now, or None."""
    holds = LegalHold.objects.in_force().filter(Q(peer=peer) | Q(match__request__peer=peer))
    if holds.exists():
        return _(
            "A legal hold on this person or one of their matches is in force: nothing of "
            "theirs can be erased until it is lifted."
        )
    if SupportRequest.objects.filter(peer=peer, status__in=OPEN_REQUEST).exists():
        return _("One of this person's requests is still open: close it first, then erase them.")
    if Match.objects.filter(request__peer=peer, status__in=OPEN_MATCH_STATUSES).exists():
        return _("One of this person's matches is still open: close it first, then erase them.")
    return None


def erase_person(*, peer: Peer, by: User) -> Held:
    """Replace every personal datum held about `peer` with nothing, now; the rows stay so the
    program's counts do not change. Refused (DomainError) under a hold or while something is
    open. One audit event (`privacy.person.erased`), counts only."""
    with transaction.atomic():
        peer = Peer.objects.select_for_update().get(pk=peer.pk)
        reason = refusal(peer)
        if reason is not None:
            raise DomainError(reason)
        held = what_goes(peer)
        messages = messages_about(peer)
        addresses = [str(address) for address in (peer.email, peer.phone)]
        requests = _requests(peer)
        matches = _matches(peer)
        now = timezone.now()
        for support_request in requests:
            deidentify_request(support_request=support_request)
            Deidentified.objects.get_or_create(
                kind=RetentionKind.REQUESTS,
                object_id=support_request.pk,
                defaults={"program_id": support_request.program_id, "at": now},
            )
        for match in matches:
            deidentify_match(match=match)
            Deidentified.objects.get_or_create(
                kind=RetentionKind.MATCHES,
                object_id=match.pk,
                defaults={"program_id": match.program_id, "at": now},
            )
        # What the owning apps' de-identification leaves: the person's own words elsewhere.
        Proposal.objects.filter(request__in=requests).update(decline_reason="")
        Conflict.objects.filter(peer=peer).update(reason="")
        Survey.objects.filter(match__in=matches).update(answers={})
        escalations = _escalations(peer)
        EscalationEvent.objects.filter(escalation__in=escalations).update(note="")
        Escalation.objects.filter(pk__in=escalations.values("pk")).update(
            what_happened="", outcome=""
        )
        LegalHold.objects.filter(Q(peer=peer) | Q(match__in=matches)).update(
            reason="", lift_reason=""
        )
        for message in messages:
            fields = {"subject": "", "body": "", "to_address": "", "link": ""}
            if message.status in DELIVERABLE_STATUSES:
                fields["status"] = MessageStatus.DEAD  # never sent empty
            OutboxMessage.objects.filter(pk=message.pk).update(**fields)
        forget_addresses(addresses=addresses, at=now)  # marks of bounces, if any
        Peer.objects.filter(pk=peer.pk).update(user=None)
        record_event(actor=by, action="privacy.person.erased", target=peer, data=held.as_data())
    return held
