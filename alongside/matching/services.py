"""Proposals: suggest a pairing, hear the supporter, confirm, and only then start the match."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.updates import update_and_audit
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import Match
from alongside.matches.services.lifecycle import start_match
from alongside.matching import messages
from alongside.matching.models import (
    HOLDING_STATUSES,
    Conflict,
    MatchingSettings,
    Proposal,
    ProposalStatus,
)
from alongside.matching.queries import check_pair, settings_for
from alongside.notifications.models import Channel
from alongside.notifications.notify import CHANNEL, notify
from alongside.notifications.team import tell_coordinators
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


def _ensure_can_propose(support_request: SupportRequest, supporter: Supporter) -> dict[str, float]:
    if support_request.status != RequestStatus.NEW:
        raise DomainError(
            _("This request is no longer waiting (%(status)s).")
            % {"status": support_request.get_status_display().lower()}
        )
    if Proposal.objects.filter(request=support_request, status__in=HOLDING_STATUSES).exists():
        raise DomainError(_("This request already has an open proposal."))
    fit = check_pair(support_request, supporter)
    if not fit.can_match:
        raise DomainError(
            _("%(name)s cannot be proposed: %(reasons)s.")
            % {"name": supporter.display_name, "reasons": "; ".join(fit.reasons)}
        )
    return fit.score_parts


@transaction.atomic
def propose(
    *,
    support_request: SupportRequest,
    supporter: Supporter,
    proposed_by: User,
    send: bool = True,
    batch: uuid.UUID | None = None,
) -> Proposal:
    """Suggest a pairing; when `send`, asks the supporter to answer by the program's deadline."""
    # Lock the request, then the supporter (the order start_match uses too): two coordinators
    # proposing at once queue up here, so a supporter's places can never be overfilled.
    support_request = SupportRequest.objects.select_for_update().get(pk=support_request.pk)
    supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
    parts = _ensure_can_propose(support_request, supporter)
    proposal = Proposal.objects.create(
        program=support_request.program,
        request=support_request,
        supporter=supporter,
        status=ProposalStatus.DRAFT,
        score=Decimal(str(round(sum(parts.values()), 1))),
        score_parts=parts,
        batch=batch,
        proposed_by=proposed_by,
    )
    record_event(actor=proposed_by, action="matching.proposal.created", target=proposal)
    if send:
        _send(proposal, sent_by=proposed_by)
    return proposal


def _send(proposal: Proposal, *, sent_by: User) -> None:
    hours = settings_for(proposal.program).proposal_response_hours
    now = timezone.now()
    proposal.status = ProposalStatus.PROPOSED
    proposal.sent_at = now
    proposal.respond_by = now + dt.timedelta(hours=hours)
    proposal.save(update_fields=["status", "sent_at", "respond_by"])
    record_event(actor=sent_by, action="matching.proposal.sent", target=proposal)
    ask_supporter(proposal)


def ask_supporter(proposal: Proposal) -> None:
    """Queues the message asking the supporter of a sent proposal to answer."""
    link = reverse("matching:proposal", args=[proposal.pk])
    notify(
        kind=messages.PROPOSAL_SENT,
        recipients=[proposal.supporter.user],
        context={"due": proposal.respond_by, "link": settings.SITE_URL + link},
        idempotency_key=("matching.proposal.sent", proposal.pk, CHANNEL),
        channels=[Channel.EMAIL, Channel.IN_APP],
        program=proposal.program,
        link=link,
    )


def _locked(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update()
        .select_related("program", "request", "supporter__user")
        .get(pk=proposal.pk)
    )


@transaction.atomic
def respond(
    *, proposal: Proposal, supporter_user: User, accept: bool, reason: str = ""
) -> Proposal:
    """The supporter says yes or no; a no keeps the reason and the pair is never proposed again."""
    proposal = _locked(proposal)
    if proposal.supporter.user_id != supporter_user.pk:
        raise DomainError(_("Only the supporter asked can answer this proposal."))
    if proposal.status != ProposalStatus.PROPOSED:
        raise DomainError(_("This proposal is no longer waiting for an answer."))
    if proposal.respond_by and timezone.now() > proposal.respond_by:
        raise DomainError(_("The time to answer this proposal has passed."))
    if not accept and not reason.strip():
        raise DomainError(_("Please say briefly why, so the coordinator can find someone else."))
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DECLINED
    proposal.responded_at = timezone.now()
    proposal.decline_reason = "" if accept else reason.strip()
    proposal.save(update_fields=["status", "responded_at", "decline_reason"])
    record_event(
        actor=supporter_user,
        action="matching.proposal.accepted" if accept else "matching.proposal.declined",
        target=proposal,
    )
    _tell_coordinators_of_answer(proposal)
    return proposal


def _tell_coordinators_of_answer(proposal: Proposal) -> None:
    tell_coordinators(proposal.program, **answer_message(proposal))


def answer_message(proposal: Proposal) -> dict[str, Any]:
    """What coordinators are told of a proposal's answer (or its expiry): tell_coordinators'
    arguments but the program."""
    if proposal.status == ProposalStatus.ACCEPTED:
        kind = messages.PROPOSAL_ACCEPTED
    elif proposal.status == ProposalStatus.DECLINED:
        kind = messages.PROPOSAL_DECLINED
    else:
        kind = messages.PROPOSAL_EXPIRED
    link = reverse("matching:proposal", args=[proposal.pk])
    return {
        "kind": kind,
        "context": {
            "name": proposal.supporter.display_name,
            "number": proposal.request_id,
            "link": settings.SITE_URL + link,
        },
        "key": (f"matching.proposal.{proposal.status}", proposal.pk),
        "link": link,
    }


@transaction.atomic
def confirm(*, proposal: Proposal, confirmed_by: User) -> Match:
    """The coordinator confirms an accepted proposal: the match starts and both are introduced."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.ACCEPTED:
        raise DomainError(_("Only a proposal the supporter accepted can be confirmed."))
    # The proposal's own place is released as the match takes it.
    proposal.status = ProposalStatus.CONFIRMED
    proposal.confirmed_by = confirmed_by
    proposal.save(update_fields=["status", "confirmed_by"])
    match = start_match(
        support_request=proposal.request, supporter=proposal.supporter, started_by=confirmed_by
    )
    proposal.match = match
    proposal.save(update_fields=["match"])
    record_event(actor=confirmed_by, action="matching.proposal.confirmed", target=proposal)
    return match


@transaction.atomic
def withdraw(*, proposal: Proposal, withdrawn_by: User) -> Proposal:
    """The coordinator takes back a draft or open proposal; the request waits again.

    A supporter who was asked (and has perhaps said yes) is told; a draft was never sent.
    """
    proposal = _locked(proposal)
    if proposal.status not in HOLDING_STATUSES:
        raise DomainError(_("This proposal is already closed."))
    was_sent = proposal.status != ProposalStatus.DRAFT
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    record_event(actor=withdrawn_by, action="matching.proposal.withdrawn", target=proposal)
    if was_sent:
        notify(
            kind=messages.PROPOSAL_WITHDRAWN,
            recipients=[proposal.supporter.user],
            context={},
            idempotency_key=("matching.proposal.withdrawn", proposal.pk, CHANNEL),
            channels=[Channel.EMAIL, Channel.IN_APP],
            program=proposal.program,
        )
    return proposal


def overdue_proposals(now: dt.datetime) -> QuerySet[Proposal]:
    """Proposals nobody answered by their time, the longest overdue first."""
    return Proposal.objects.filter(status=ProposalStatus.PROPOSED, respond_by__lt=now).order_by(
        "respond_by", "pk"
    )


@transaction.atomic
def expire_proposal(proposal_id: int, now: dt.datetime) -> int:
    """A proposal nobody answered in time expires; its request returns to the queue.

    Returns 1 if it expired. Safe when two workers run this at once: a conditional update.
    """
    if not overdue_proposals(now).filter(pk=proposal_id).update(status=ProposalStatus.EXPIRED):
        return 0
    proposal = Proposal.objects.select_related("program", "supporter__user").get(pk=proposal_id)
    record_event(actor=None, action="matching.proposal.expired", target=proposal)
    _tell_coordinators_of_answer(proposal)
    return 1


@transaction.atomic
def update_settings(
    *,
    program: Program,
    by: User,
    weights: dict[str, float],
    exclude_same_site: bool,
    proposal_response_hours: int,
) -> MatchingSettings:
    """Changes how a program matches; later shortlists and runs use the new weights."""
    found = MatchingSettings.objects.select_for_update().get(pk=settings_for(program).pk)
    wanted = {
        "weights": weights,
        "exclude_same_site": exclude_same_site,
        "proposal_response_hours": proposal_response_hours,
    }
    update_and_audit(
        instance=found,
        changes=wanted,
        actor=by,
        action="matching.settings.updated",
        data_key="changed",
        check=lambda _changed: found.full_clean(),
    )
    return found


@transaction.atomic
def record_conflict(
    *, support_request: SupportRequest, supporter: Supporter, reason: str, by: User
) -> Conflict:
    """Bars a supporter from ever being proposed to this person; withdraws an open proposal."""
    if supporter.program_id != support_request.program_id:
        raise DomainError(_("That supporter belongs to another program."))
    conflict, created = Conflict.objects.get_or_create(
        peer_id=support_request.peer_id,
        supporter=supporter,
        defaults={"program_id": support_request.program_id, "reason": reason, "recorded_by": by},
    )
    if not created:
        raise DomainError(_("A conflict between them is already recorded."))
    record_event(actor=by, action="matching.conflict.recorded", target=conflict)
    holding = Proposal.objects.filter(
        request__peer_id=support_request.peer_id,
        supporter=supporter,
        status__in=HOLDING_STATUSES,
    )
    for proposal in holding:
        withdraw(proposal=proposal, withdrawn_by=by)
    return conflict


@transaction.atomic
def replace_draft(*, proposal: Proposal, supporter: Supporter, by: User) -> Proposal:
    """Swaps the supporter of a draft in a run; the new draft passes the same fresh check."""
    proposal = _locked(proposal)
    if proposal.status != ProposalStatus.DRAFT:
        raise DomainError(_("Only a draft that has not been sent can be changed."))
    withdraw(proposal=proposal, withdrawn_by=by)
    return propose(
        support_request=proposal.request,
        supporter=supporter,
        proposed_by=by,
        send=False,
        batch=proposal.batch,
    )


def record_shortlist_viewed(*, support_request: SupportRequest, viewer: User, shown: int) -> None:
    """Notes that someone read a request's shortlist through the API (the supporters ranked for
    a person's request): the page's read is the request's own (`intake.request.viewed`)."""
    record_event(
        actor=viewer,
        action="matching.shortlist.viewed",
        target=support_request,
        data={"candidates": shown},
    )
