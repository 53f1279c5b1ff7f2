"""The proposal lifecycle: propose, answer, confirm or expire; places are never overfilled."""

import datetime as dt
import threading

import pytest
import time_machine
from django.db import close_old_connections, connection
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.matches.models import Match
from alongside.matching import jobs, runs, services
from alongside.matching.models import Conflict, Proposal, ProposalStatus
from alongside.notifications.models import OutboxMessage
from alongside.periodic.runner import run_job
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory

pytestmark = pytest.mark.django_db


def propose(request_, supporter, coordinator, **options) -> Proposal:
    return services.propose(
        support_request=request_, supporter=supporter, proposed_by=coordinator, **options
    )


def test_a_proposal_asks_the_supporter_to_answer_by_the_programs_deadline(
    request_a, supporter_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        proposal = propose(request_a, supporter_a, coordinator_a)

    assert proposal.status == ProposalStatus.PROPOSED
    assert proposal.respond_by - proposal.sent_at == dt.timedelta(hours=48)
    assert proposal.score > 0
    assert sum(proposal.score_parts.values()) == pytest.approx(float(proposal.score))
    sent = OutboxMessage.objects.filter(
        idempotency_key__startswith=f"matching.proposal.sent:{proposal.pk}"
    )
    assert sorted(sent.values_list("channel", flat=True)) == ["email", "in_app"]
    assert AuditEvent.objects.filter(action="matching.proposal.sent").count() == 1


def test_a_draft_proposal_sends_nothing_until_the_coordinator_sends_the_run(
    request_a, supporter_a, coordinator_a
):
    batch = Proposal.new_batch()
    proposal = propose(request_a, supporter_a, coordinator_a, send=False, batch=batch)

    assert proposal.status == ProposalStatus.DRAFT
    assert not OutboxMessage.objects.filter(recipient=supporter_a.user).exists()

    assert runs.send_batch(program=request_a.program, batch=batch, sent_by=coordinator_a) == 1
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED


def test_an_accepted_proposal_confirmed_by_the_coordinator_starts_the_match(
    request_a, supporter_a, coordinator_a
):
    proposal = propose(request_a, supporter_a, coordinator_a)
    services.respond(proposal=proposal, supporter_user=supporter_a.user, accept=True)

    match = services.confirm(proposal=proposal, confirmed_by=coordinator_a)

    proposal.refresh_from_db()
    request_a.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    assert proposal.match == match
    assert match.supporter == supporter_a
    assert request_a.status == RequestStatus.MATCHED


def test_a_declined_pair_is_never_proposed_again(request_a, supporter_a, coordinator_a):
    proposal = propose(request_a, supporter_a, coordinator_a)
    services.respond(
        proposal=proposal, supporter_user=supporter_a.user, accept=False, reason="I know them."
    )

    with pytest.raises(DomainError, match="declined this person before"):
        propose(request_a, supporter_a, coordinator_a)
    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert told.subject == f"Sam said no to request #{request_a.pk}"


def test_declining_needs_a_reason(request_a, supporter_a, coordinator_a):
    proposal = propose(request_a, supporter_a, coordinator_a)

    with pytest.raises(DomainError, match="say briefly why"):
        services.respond(proposal=proposal, supporter_user=supporter_a.user, accept=False)


def test_only_the_supporter_asked_can_answer(
    request_a, supporter_a, other_supporter_a, coordinator_a
):
    proposal = propose(request_a, supporter_a, coordinator_a)

    with pytest.raises(DomainError, match="Only the supporter asked"):
        services.respond(proposal=proposal, supporter_user=other_supporter_a.user, accept=True)


def test_a_recorded_conflict_bars_the_pair(request_a, supporter_a, coordinator_a):
    Conflict.objects.create(
        program=request_a.program, peer=request_a.peer, supporter=supporter_a, reason="Neighbours"
    )

    with pytest.raises(DomainError, match="recorded conflict"):
        propose(request_a, supporter_a, coordinator_a)


def test_a_request_has_at_most_one_open_proposal(
    request_a, supporter_a, other_supporter_a, coordinator_a
):
    propose(request_a, supporter_a, coordinator_a)

    with pytest.raises(DomainError, match="already has an open proposal"):
        propose(request_a, other_supporter_a, coordinator_a)


def test_open_proposals_hold_a_supporters_places(program_a, ms, supporter_a, coordinator_a):
    supporter_a.max_concurrent_matches = 1
    supporter_a.save()
    first, second = SupportRequestFactory.create_batch(2, program=program_a, experience=ms)
    propose(first, supporter_a, coordinator_a)

    with pytest.raises(DomainError, match="has no room for another match"):
        propose(second, supporter_a, coordinator_a)


def test_an_unanswered_proposal_expires_and_the_request_waits_again(
    request_a, supporter_a, other_supporter_a, coordinator_a
):
    proposal = propose(request_a, supporter_a, coordinator_a)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        with pytest.raises(DomainError, match="time to answer"):
            services.respond(proposal=proposal, supporter_user=supporter_a.user, accept=True)
        assert run_job(jobs.expire_overdue_proposals).changed == 1
        assert run_job(jobs.expire_overdue_proposals).changed == 0  # safe to run twice

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.EXPIRED
    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert told.subject == f"No answer from Sam for request #{request_a.pk}"
    assert propose(request_a, other_supporter_a, coordinator_a).status == ProposalStatus.PROPOSED


def test_a_withdrawn_proposal_frees_the_request(request_a, supporter_a, coordinator_a):
    proposal = propose(request_a, supporter_a, coordinator_a)
    services.withdraw(proposal=proposal, withdrawn_by=coordinator_a)

    assert propose(request_a, supporter_a, coordinator_a).status == ProposalStatus.PROPOSED


@pytest.mark.django_db(transaction=True)
def test_parallel_proposals_never_overfill_a_supporter(program_a, ms, coordinator_a):
    """Eight coordinators propose eight people to one supporter with two places, at once."""
    supporter = SupporterFactory(program=program_a, max_concurrent_matches=2)
    LivedExperienceFactory(supporter=supporter, experience=ms)
    requests = SupportRequestFactory.create_batch(8, program=program_a, experience=ms)
    start = threading.Barrier(len(requests))
    outcomes: list[str] = []

    def attempt(request_) -> None:
        try:
            start.wait()
            propose(request_, supporter, coordinator_a)
            outcomes.append("proposed")
        except DomainError:
            outcomes.append("refused")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=attempt, args=(item,)) for item in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["proposed"] * 2 + ["refused"] * 6
    assert Proposal.objects.filter(supporter=supporter).holding().count() == 2
    assert Match.objects.filter(supporter=supporter).count() == 0


def test_many_proposals_expiring_in_one_run_give_the_coordinator_one_digest(
    program_a, ms, coordinator_a
):
    proposals = []
    for _each in range(5):
        supporter = SupporterFactory(program=program_a)
        LivedExperienceFactory(supporter=supporter, experience=ms)
        request_ = SupportRequestFactory(program=program_a, experience=ms)
        proposals.append(propose(request_, supporter, coordinator_a))

    with time_machine.travel(timezone.now() + dt.timedelta(hours=49)):
        assert run_job(jobs.expire_overdue_proposals).changed == 5

    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert told.subject == "No answer in time to 5 proposals"
    assert told.link == "/matching/proposals/"
    first = proposals[0]
    assert f"{first.supporter.display_name} (#{first.request_id})" in told.body
