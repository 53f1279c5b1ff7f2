"""Proposals: suggest a pairing, hear the supporter, confirm, and only then start the match."""

import datetime as dt
import uuid
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import Match
from alongside.matches.services import start_match
from alongside.matching.models import (
    HOLDING_STATUSES,
    Conflict,
    MatchingSettings,
    Proposal,
    ProposalStatus,
)
from alongside.matching.queries import evaluate_by_id
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


def settings_for(program: Program) -> MatchingSettings:
    found, _created = MatchingSettings.objects.get_or_create(program=program)
    return found


def reasons_pair_is_barred(support_request: SupportRequest, supporter: Supporter) -> list[str]:
    """Pair-specific exclusions: declined before, or a conflict a coordinator recorded."""
    reasons: list[str] = []
    declined = Proposal.objects.filter(
        request=support_request, supporter=supporter, status=ProposalStatus.DECLINED
    ).exists()
    if declined:
        reasons.append(_("declined this person before"))
    if Conflict.objects.filter(peer_id=support_request.peer_id, supporter=supporter).exists():
        reasons.append(_("has a recorded conflict with this person"))
    return reasons


def _ensure_can_propose(support_request: SupportRequest, supporter: Supporter) -> dict[str, float]:
    if support_request.status != RequestStatus.NEW:
        raise DomainError(
            _("This request is no longer waiting (%(status)s).")
            % {"status": support_request.get_status_display().lower()}
        )
    if Proposal.objects.filter(request=support_request, status__in=HOLDING_STATUSES).exists():
        raise DomainError(_("This request already has an open proposal."))
    candidate = evaluate_by_id(support_request, supporter.pk)
    reasons = (
        list(candidate.reasons_not_eligible) if candidate else [_("belongs to another program")]
    )
    reasons += reasons_pair_is_barred(support_request, supporter)
    if candidate is not None:
        # The candidate counts open matches; open proposals hold places too.
        matched = candidate.supporter.open_match_count  # type: ignore[attr-defined]
        holding = Proposal.objects.filter(supporter=supporter, status__in=HOLDING_STATUSES).count()
        if matched < supporter.max_concurrent_matches <= matched + holding:
            reasons.append(_("has no free place: open proposals hold the rest"))
    if reasons:
        raise DomainError(
            _("%(name)s cannot be proposed: %(reasons)s.")
            % {"name": supporter.display_name, "reasons": "; ".join(dict.fromkeys(reasons))}
        )
    assert candidate is not None
    return {part.label: float(part.points) for part in candidate.score.parts}


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
    user = proposal.supporter.user
    due = timezone.localtime(proposal.respond_by, proposal.program.calendar.zone)
    body = _(
        "Hello %(name)s,\n\nWe would like to match you with someone in %(program)s. "
        "Please sign in to Alongside and say yes or no by %(due)s.\n"
    ) % {
        "name": user.display_name,
        "program": proposal.program.name,
        "due": f"{due:%Y-%m-%d %H:%M}",
    }
    for channel in (Channel.EMAIL, Channel.IN_APP):
        queue_message(
            channel=channel,
            to_address=user.email,
            recipient=user,
            subject=_("Can you support someone new?"),
            body=body,
            idempotency_key=f"matching.proposal.sent:{proposal.pk}:{channel}",
            program=proposal.program,
        )


@transaction.atomic
def send_batch(*, program: Program, batch: uuid.UUID, sent_by: User) -> int:
    """Sends every draft of one "match everyone" run that the coordinator kept."""
    drafts = Proposal.objects.select_for_update().filter(
        program=program, batch=batch, status=ProposalStatus.DRAFT
    )
    count = 0
    for proposal in drafts:
        _send(proposal, sent_by=sent_by)
        count += 1
    return count


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
    return proposal


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
    """The coordinator takes back a draft or open proposal; the request waits again."""
    proposal = _locked(proposal)
    if proposal.status not in HOLDING_STATUSES:
        raise DomainError(_("This proposal is already closed."))
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.save(update_fields=["status"])
    record_event(actor=withdrawn_by, action="matching.proposal.withdrawn", target=proposal)
    return proposal


def expire_overdue_proposals() -> int:
    """Proposals nobody answered in time expire; their requests return to the queue."""
    overdue = Proposal.objects.filter(
        status=ProposalStatus.PROPOSED, respond_by__lt=timezone.now()
    ).values_list("pk", flat=True)
    expired = 0
    for proposal_id in list(overdue):
        with transaction.atomic():
            # Conditional update: safe when two workers run this at once.
            claimed = Proposal.objects.filter(
                Q(pk=proposal_id), Q(status=ProposalStatus.PROPOSED)
            ).update(status=ProposalStatus.EXPIRED)
            if claimed:
                proposal = Proposal.objects.get(pk=proposal_id)
                record_event(actor=None, action="matching.proposal.expired", target=proposal)
                expired += 1
    return expired
