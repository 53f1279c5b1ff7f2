"""Proposals nobody answered in time, expired a batch at a time (the periodic job's batches)."""

import datetime as dt
from collections.abc import Sequence

from alongside.core.audit import audit_event, record_events
from alongside.matching.models import Proposal, ProposalStatus
from alongside.matching.services import answer_message, overdue_proposals
from alongside.notifications.notify import notify_all
from alongside.notifications.team import coordinators_of, notice_to_coordinators


class ProposalsChangedError(Exception):
    """Another run answered or expired some of the batch's proposals meanwhile."""


def expire_proposals(proposal_ids: Sequence[int], now: dt.datetime) -> int:
    """expire_proposal for many proposals at once: one query to lock them, one update, then
    the audit events and coordinators' messages in bulk. Raises ProposalsChangedError when another
    run got to some first (the runner then goes one by one)."""
    found = (
        overdue_proposals(now)
        .select_for_update(of=("self",))
        .select_related("program", "supporter__user")
        .in_bulk(proposal_ids)
    )
    proposals = [found[pk] for pk in proposal_ids if pk in found]
    expired = Proposal.objects.filter(
        pk__in=[proposal.pk for proposal in proposals], status=ProposalStatus.PROPOSED
    ).update(status=ProposalStatus.EXPIRED)
    if expired != len(proposals):
        raise ProposalsChangedError
    for proposal in proposals:
        proposal.status = ProposalStatus.EXPIRED
    record_events(
        audit_event(actor=None, action="matching.proposal.expired", target=proposal)
        for proposal in proposals
    )
    coordinators = coordinators_of({proposal.program_id for proposal in proposals})
    notify_all(
        notice_to_coordinators(
            proposal.program,
            coordinators=coordinators[proposal.program_id],
            **answer_message(proposal),
        )
        for proposal in proposals
    )
    return len(proposals)
