"""Match everyone waiting as background work: the run, its fresh check and re-solve, its
outcome, one run per program, and a worker that fails or dies."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.matching import runs, services
from alongside.matching.models import (
    Conflict,
    MatchingRun,
    Proposal,
    ProposalStatus,
    RunStage,
    RunStatus,
)
from alongside.matching.queries import check_pair, settings_for
from alongside.matching.recheck import check_pairs
from alongside.matching.snapshot import snapshot_for
from alongside.notifications.models import OutboxMessage
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import SupporterStatus

pytestmark = pytest.mark.django_db


def supporters(program, experience, count, *, places=1):
    made = SupporterFactory.create_batch(count, program=program, max_concurrent_matches=places)
    for supporter in made:
        LivedExperienceFactory(supporter=supporter, experience=experience)
    return made


def run_now(program, coordinator):
    """Starts a run and works it here, as the worker would."""
    run, _new = runs.start_run(program=program, started_by=coordinator)
    runs.run_matching(run.pk)
    run.refresh_from_db()
    return run


def after_the_first_solve(monkeypatch, change):
    """Does `change(pairs)` once, between the first solve and its check: a coordinator's
    edit landing while the worker computes."""
    solve = runs._Problem.solve
    calls = []

    def solve_then_change(problem):
        pairs = solve(problem)
        if not calls:
            calls.append(pairs)
            change(pairs)
        return pairs

    monkeypatch.setattr(runs._Problem, "solve", solve_then_change)


def accounted_for(run):
    """Every request waiting at the start is drafted, left unplaced, or reported gone."""
    return run.drafted + run.unplaced + run.no_longer_waiting == run.waiting


def test_a_run_drafts_everyone_it_can_with_the_score_a_hand_made_proposal_gets(
    program_a, ms, coordinator_a
):
    supporters(program_a, ms, 3)
    waiting = SupportRequestFactory.create_batch(3, program=program_a, experience=ms)

    run = run_now(program_a, coordinator_a)

    assert (run.status, run.stage, run.rounds) == (RunStatus.FINISHED, RunStage.DONE, 1)
    assert (run.waiting, run.drafted, run.unplaced) == (3, 3, 0)
    drafts = list(Proposal.objects.filter(batch=run.batch).select_related("request", "supporter"))
    assert {draft.request_id for draft in drafts} == {one.pk for one in waiting}
    assert {draft.status for draft in drafts} == {ProposalStatus.DRAFT}
    # As a proposal made by hand now would score it, with the draft's place free again.
    Proposal.objects.update(status=ProposalStatus.WITHDRAWN)
    for draft in drafts:
        assert draft.score_parts == check_pair(draft.request, draft.supporter).score_parts
        assert float(draft.score) == pytest.approx(sum(draft.score_parts.values()), abs=0.05)
    created = AuditEvent.objects.filter(action="matching.proposal.created")
    assert sorted(map(int, created.values_list("target_id", flat=True))) == sorted(
        draft.pk for draft in drafts
    )
    assert not OutboxMessage.objects.exists()


def test_a_supporter_no_longer_ready_is_replaced_by_solving_again_and_nobody_is_lost(
    program_a, ms, coordinator_a, monkeypatch
):
    ana, bo = supporters(program_a, ms, 2)
    SupportRequestFactory.create_batch(2, program=program_a, experience=ms)
    snapshot_for(program_a)  # warm: it still holds both as ready

    def pause_one(pairs):
        # Behind the snapshot's back (no save signal): only the fresh check can see it.
        SupporterFactory._meta.model.objects.filter(pk=ana.pk).update(status=SupporterStatus.PAUSED)

    after_the_first_solve(monkeypatch, pause_one)

    run = run_now(program_a, coordinator_a)

    (draft,) = Proposal.objects.filter(batch=run.batch)
    assert draft.supporter_id == bo.pk
    assert (run.rounds, run.drafted, run.unplaced) == (2, 1, 1)
    assert run.changed_unavailable == 1
    assert accounted_for(run)


def test_a_conflict_recorded_meanwhile_moves_the_request_to_someone_else(
    program_a, ms, coordinator_a, monkeypatch
):
    supporters(program_a, ms, 2)
    request_ = SupportRequestFactory(program=program_a, experience=ms)
    chosen = []

    def record_a_conflict(pairs):
        chosen.append(pairs[request_.pk])
        Conflict.objects.create(
            program=program_a, peer=request_.peer, supporter_id=pairs[request_.pk]
        )

    after_the_first_solve(monkeypatch, record_a_conflict)

    run = run_now(program_a, coordinator_a)

    (draft,) = Proposal.objects.filter(batch=run.batch)
    assert draft.supporter_id != chosen[0]
    assert (run.changed_other, run.changed_unavailable, run.rounds) == (1, 0, 2)
    assert accounted_for(run)


def test_a_request_proposed_by_hand_meanwhile_is_reported_not_drafted_twice(
    program_a, ms, coordinator_a, monkeypatch
):
    sam, _robin = supporters(program_a, ms, 2)
    first, second = SupportRequestFactory.create_batch(2, program=program_a, experience=ms)

    def propose_by_hand(pairs):
        services.propose(support_request=first, supporter=sam, proposed_by=coordinator_a)

    after_the_first_solve(monkeypatch, propose_by_hand)

    run = run_now(program_a, coordinator_a)

    (draft,) = Proposal.objects.filter(batch=run.batch)
    assert draft.request_id == second.pk
    assert (run.no_longer_waiting, run.drafted, run.unplaced) == (1, 1, 0)
    assert accounted_for(run)


def test_the_fresh_check_reads_the_same_number_of_queries_for_any_number_of_pairs(
    program_a, ms, coordinator_a, django_assert_max_num_queries
):
    helpers = supporters(program_a, ms, 8)
    waiting = SupportRequestFactory.create_batch(8, program=program_a, experience=ms)
    program_settings = settings_for(program_a)
    now = timezone.now()

    def check(count):
        pairs = {waiting[i].pk: helpers[i].pk for i in range(count)}
        with CaptureQueriesContext(connection) as queries:
            verdict = check_pairs(program_a, program_settings, pairs, now=now)
        assert verdict.all_passed
        assert len(verdict.passed) == count
        return len(queries.captured_queries)

    few = check(2)
    with django_assert_max_num_queries(few):
        check(8)


def test_a_second_start_joins_the_run_under_way_and_a_new_one_starts_after_it(
    program_a, ms, coordinator_a
):
    first, new = runs.start_run(program=program_a, started_by=coordinator_a)
    second, second_is_new = runs.start_run(program=program_a, started_by=coordinator_a)

    assert (new, second_is_new, second.pk) == (True, False, first.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        MatchingRun.objects.create(program=program_a, status=RunStatus.RUNNING)

    runs.run_matching(first.pk)
    third, third_is_new = runs.start_run(program=program_a, started_by=coordinator_a)
    assert third_is_new
    assert third.pk != first.pk


def test_a_run_that_stopped_moving_is_marked_failed_by_the_next_start(program_a, ms, coordinator_a):
    stalled, _new = runs.start_run(program=program_a, started_by=coordinator_a)
    an_hour_ago = timezone.now() - dt.timedelta(hours=1)
    MatchingRun.objects.filter(pk=stalled.pk).update(
        status=RunStatus.RUNNING, updated_at=an_hour_ago
    )
    stalled.refresh_from_db()
    assert runs.is_stalled(stalled)

    fresh, new = runs.start_run(program=program_a, started_by=coordinator_a)

    stalled.refresh_from_db()
    assert new
    assert fresh.pk != stalled.pk
    assert stalled.status == RunStatus.FAILED
    assert "worker stopped" in stalled.error
    runs.run_matching(stalled.pk)  # a worker coming back to it late does nothing
    stalled.refresh_from_db()
    assert stalled.status == RunStatus.FAILED


def test_a_failing_run_is_marked_failed_with_nothing_drafted(
    program_a, ms, coordinator_a, monkeypatch
):
    supporters(program_a, ms, 1)
    SupportRequestFactory(program=program_a, experience=ms)

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(runs, "candidates_for", broken)

    run = run_now(program_a, coordinator_a)

    assert run.status == RunStatus.FAILED
    assert "MemoryError" in run.error
    assert not Proposal.objects.exists()
    assert AuditEvent.objects.filter(action="matching.run.failed").exists()


def test_working_a_run_twice_drafts_once(program_a, ms, coordinator_a):
    supporters(program_a, ms, 2)
    SupportRequestFactory.create_batch(2, program=program_a, experience=ms)

    run = run_now(program_a, coordinator_a)
    runs.run_matching(run.pk)

    assert Proposal.objects.filter(batch=run.batch).count() == 2


def test_a_run_is_handed_to_the_worker_when_its_start_commits(
    program_a, ms, coordinator_a, django_capture_on_commit_callbacks
):
    supporters(program_a, ms, 1)
    SupportRequestFactory(program=program_a, experience=ms)

    with django_capture_on_commit_callbacks(execute=True):
        run, _new = runs.start_run(program=program_a, started_by=coordinator_a)
        run.refresh_from_db()
        assert run.status == RunStatus.QUEUED

    run.refresh_from_db()
    assert (run.status, run.drafted) == (RunStatus.FINISHED, 1)


def test_sending_a_run_asks_every_supporter_it_kept_in_one_go(program_a, ms, coordinator_a):
    supporters(program_a, ms, 3)
    SupportRequestFactory.create_batch(3, program=program_a, experience=ms)
    run = run_now(program_a, coordinator_a)

    sent = runs.send_batch(program=program_a, batch=run.batch, sent_by=coordinator_a)

    proposals = Proposal.objects.filter(batch=run.batch)
    assert sent == 3
    assert {proposal.status for proposal in proposals} == {ProposalStatus.PROPOSED}
    assert all(proposal.respond_by for proposal in proposals)
    assert AuditEvent.objects.filter(action="matching.proposal.sent").count() == 3
    asked = OutboxMessage.objects.filter(idempotency_key__startswith="matching.proposal.sent:")
    assert asked.count() == 6  # e-mail and inbox each
    assert runs.send_batch(program=program_a, batch=run.batch, sent_by=coordinator_a) == 0
