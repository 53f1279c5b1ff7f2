"""Match everyone waiting, as background work, and send what the coordinator kept.

A coordinator starts a run (`start_run`); the worker claims it (`run_matching`): it scores
every waiting request against the program's snapshot, solves for the best assignment (most
people matched, then the most urgent, then the best total score), checks every chosen pair
afresh at once (`recheck.check_pairs`), and, when a pair no longer passes, learns why and
solves again, until every chosen pair passes. The drafts are then saved together, in the
transaction that marks the run finished. Each stage is written on the run's row, which the
progress page reads.

One run per program at a time (a partial unique constraint): a second start joins the run
under way. A run whose worker died stops moving; after `STALE_AFTER` without a word, the next
start marks it failed and begins again.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field, replace

import numpy as np
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from alongside.accounts.models import User
from alongside.core.audit import audit_event, record_event, record_events
from alongside.intake.models import SupportRequest
from alongside.matching import services, tasks
from alongside.matching.assignment import UNMATCHED, assign_optimal
from alongside.matching.models import (
    ACTIVE_RUN_STATUSES,
    MatchingRun,
    MatchingSettings,
    Proposal,
    ProposalStatus,
    RunStage,
    RunStatus,
)
from alongside.matching.pairs import candidates_for
from alongside.matching.queries import settings_for, weights_of
from alongside.matching.recheck import Verdict, check_pairs, waiting_to_match
from alongside.matching.scoring import Need, SupporterPool, Weights
from alongside.matching.snapshot import current_load, needs_for, snapshot_for
from alongside.programs.models import Program
from alongside.supporters.models import Supporter

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)  # a stage takes seconds; ten minutes silent is a dead run
MAX_ROUNDS = 8  # solve-and-check rounds; each one learns at least one refusal


def start_run(*, program: Program, started_by: User) -> tuple[MatchingRun, bool]:
    """Queues a run of the program for the worker (True), or returns the one already under
    way (False)."""
    try:
        with transaction.atomic():
            # Starts of one program queue up here (PostgreSQL); the constraint is the backstop.
            list(Program.objects.select_for_update().filter(pk=program.pk).values("pk"))
            _give_up_stale(program)
            active = MatchingRun.objects.filter(
                program=program, status__in=ACTIVE_RUN_STATUSES
            ).first()
            if active is not None:
                return active, False
            run = MatchingRun.objects.create(program=program, started_by=started_by)
            record_event(actor=started_by, action="matching.run.started", target=run)
            tasks.match_everyone.enqueue(run.pk)  # handed to the worker on commit
            return run, True
    except IntegrityError:  # another start won the race: join it
        return MatchingRun.objects.get(program=program, status__in=ACTIVE_RUN_STATUSES), False


def is_stalled(run: MatchingRun, now: dt.datetime | None = None) -> bool:
    """Still marked under way, but silent for longer than any stage takes."""
    return run.is_active and run.updated_at < (now or timezone.now()) - STALE_AFTER


def _give_up_stale(program: Program) -> None:
    now = timezone.now()
    stalled = MatchingRun.objects.filter(
        program=program, status__in=ACTIVE_RUN_STATUSES, updated_at__lt=now - STALE_AFTER
    )
    for run in stalled:
        # Conditional: a worker that comes back to it later finds it no longer queued.
        MatchingRun.objects.filter(pk=run.pk, status=run.status).update(
            status=RunStatus.FAILED,
            error=f"No progress for {STALE_AFTER}: the worker stopped.",
            finished_at=now,
            updated_at=now,
        )
        record_event(actor=None, action="matching.run.stalled", target=run)


def _progress(run: MatchingRun, **fields: object) -> None:
    """Writes a stage or counts on the run's row, where the progress page reads them."""
    MatchingRun.objects.filter(pk=run.pk).update(updated_at=timezone.now(), **fields)


def run_matching(run_id: int) -> None:
    """The worker's part: claims a queued run, drafts the best assignment, records the outcome.

    Safe to run twice: only the call that moves the run from queued to running works on it.
    A failure marks the run failed, with nothing drafted.
    """
    now = timezone.now()
    claimed = MatchingRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, stage=RunStage.SCORING, started_at=now, updated_at=now
    )
    if not claimed:
        return
    run = MatchingRun.objects.select_related("program", "started_by").get(pk=run_id)
    # The score's parts are saved in words: in the language of whoever started the run.
    language = run.started_by.language if run.started_by else settings.LANGUAGE_CODE
    try:
        with translation.override(language):
            _draft_everyone(run)
    except Exception as error:
        logger.exception("Matching run %s failed", run_id)
        _progress(
            run,
            status=RunStatus.FAILED,
            error=f"{type(error).__name__}: {error}"[:2000],
            finished_at=timezone.now(),
        )
        record_event(actor=None, action="matching.run.failed", target=run)


@dataclass
class _Problem:
    """The run's waiting requests and the program's supporters, as the solver reads them;
    each refusal the fresh check reports is learned here before solving again."""

    requests: list[SupportRequest]
    needs: list[Need]
    pool: SupporterPool
    weights: Weights
    row_of: dict[int, int]  # supporter id -> pool row
    gone: set[int] = field(default_factory=set)  # request ids no longer waiting

    @classmethod
    def of(
        cls, program: Program, program_settings: MatchingSettings, requests: list[SupportRequest]
    ) -> "_Problem":
        snapshot = snapshot_for(program)
        needs = needs_for(
            requests,
            snapshot.vocabulary,
            exclude_same_site=program_settings.exclude_same_site,
            now=timezone.now(),
        )
        return cls(
            requests=requests,
            needs=needs,
            pool=snapshot.with_current_load(current_load(program.pk)),
            weights=weights_of(program_settings),
            row_of=dict(snapshot.row_of),
        )

    def solve(self) -> dict[int, int]:
        """The best assignment: request id -> supporter id."""
        active = [index for index, one in enumerate(self.requests) if one.pk not in self.gone]
        if not active:
            return {}
        needs = [self.needs[index] for index in active]
        assignment = assign_optimal(
            request_count=len(needs),
            capacity=self.pool.free_places * self.pool.ready,
            candidates=candidates_for(self.pool, needs, self.weights),
            priority=np.array([need.urgency for need in needs], dtype=np.float64),
        )
        return {
            self.requests[active[position]].pk: int(self.pool.ids[row])
            for position, row in enumerate(assignment.supporter_for.tolist())
            if row != UNMATCHED
        }

    def learn(self, verdict: Verdict) -> None:
        self.gone |= verdict.no_longer_waiting
        capacity = self.pool.capacity.copy()
        for supporter_id, left in verdict.places_left.items():
            row = self.row_of[supporter_id]
            capacity[row] = self.pool.open_matches[row] + left
        self.pool = replace(self.pool, capacity=capacity)
        refused: dict[int, set[int]] = {}
        for request_id, supporter_id in verdict.refused:
            refused.setdefault(request_id, set()).add(supporter_id)
        self.needs = [
            replace(need, declined=need.declined | refused[one.pk]) if one.pk in refused else need
            for one, need in zip(self.requests, self.needs, strict=True)
        ]


@dataclass
class _Tally:
    """What the fresh check changed, told to the coordinator on the review page."""

    first: dict[int, int] = field(default_factory=dict)  # the first solve's pairs
    unavailable: set[int] = field(default_factory=set)  # requests whose supporter had no room

    def refused(self, pairs: dict[int, int], verdict: Verdict) -> None:
        self.unavailable |= {
            request_id
            for request_id, supporter_id in pairs.items()
            if supporter_id in verdict.places_left
        }

    def counts(self, verdict: Verdict, gone: set[int]) -> dict[str, int]:
        changed = {
            request_id
            for request_id, supporter_id in self.first.items()
            if request_id not in gone
            and (
                request_id not in verdict.passed
                or verdict.passed[request_id].supporter_id != supporter_id
            )
        }
        unavailable = len(changed & self.unavailable)
        return {
            "changed_unavailable": unavailable,
            "changed_other": len(changed) - unavailable,
            "no_longer_waiting": len(gone),
        }


def _draft_everyone(run: MatchingRun) -> None:
    program = run.program
    program_settings = settings_for(program)
    requests = list(waiting_to_match(program))
    _progress(run, stage=RunStage.SCORING, waiting=len(requests))
    problem = _Problem.of(program, program_settings, requests)
    tally = _Tally()
    for round_number in range(1, MAX_ROUNDS + 1):
        _progress(run, stage=RunStage.SOLVING, rounds=round_number)
        pairs = problem.solve()
        if round_number == 1:
            tally.first = pairs
        _progress(run, stage=RunStage.CHECKING)
        last = round_number == MAX_ROUNDS
        try:
            verdict = _check_and_save(run, program_settings, pairs, problem, tally, last=last)
        except IntegrityError:
            # A proposal made by hand took a request between the check and the save; the
            # next round's check sees it.
            continue
        if verdict is None:
            return
        tally.refused(pairs, verdict)
        problem.learn(verdict)
    raise RuntimeError(f"No valid assignment after {MAX_ROUNDS} rounds.")


@transaction.atomic
def _check_and_save(
    run: MatchingRun,
    program_settings: MatchingSettings,
    pairs: dict[int, int],
    problem: _Problem,
    tally: _Tally,
    *,
    last: bool,
) -> Verdict | None:
    """Checks the pairs with their rows locked; saves the drafts when all pass (or, in the
    last round, those that pass). Returns the verdict to learn from, or None once saved."""
    # Requests, then supporters: the order `services.propose` locks them in.
    list(SupportRequest.objects.select_for_update().filter(pk__in=sorted(pairs)).values("pk"))
    supporter_ids = sorted(set(pairs.values()))
    list(Supporter.objects.select_for_update().filter(pk__in=supporter_ids).values("pk"))
    verdict = check_pairs(run.program, program_settings, pairs, now=timezone.now())
    if not verdict.all_passed and not last:
        return verdict
    _save(run, verdict, tally.counts(verdict, problem.gone | verdict.no_longer_waiting))
    return None


def _save(run: MatchingRun, verdict: Verdict, counts: dict[str, int]) -> None:
    """The drafts, their audit events and the run's outcome, together."""
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                program_id=run.program_id,
                request=passed.support_request,
                supporter_id=passed.supporter_id,
                status=ProposalStatus.DRAFT,
                score=passed.score,
                score_parts=passed.score_parts,
                batch=run.batch,
                proposed_by=run.started_by,
            )
            for passed in verdict.passed.values()
        ],
        batch_size=500,
    )
    record_events(
        audit_event(actor=run.started_by, action="matching.proposal.created", target=proposal)
        for proposal in proposals
    )
    record_event(
        actor=run.started_by,
        action="matching.run.drafted",
        target=run.program,
        data={"batch": str(run.batch), "waiting": run.waiting, "proposed": len(proposals)},
    )
    _progress(
        run,
        status=RunStatus.FINISHED,
        stage=RunStage.DONE,
        drafted=len(proposals),
        finished_at=timezone.now(),
        **counts,
    )


def start_sending(*, program: Program, batch: uuid.UUID, sent_by: User) -> int:
    """Queues the sending of a run's drafts for the worker; returns how many will be sent."""
    count = Proposal.objects.filter(
        program=program, batch=batch, status=ProposalStatus.DRAFT
    ).count()
    if count:
        tasks.send_run.enqueue(program.pk, str(batch), sent_by.pk)
    return count


@transaction.atomic
def send_batch(*, program: Program, batch: uuid.UUID, sent_by: User) -> int:
    """Sends every draft of a run the coordinator kept: one update, then asks each supporter
    (queues one message each)."""
    drafts = Proposal.objects.select_for_update().filter(
        program=program, batch=batch, status=ProposalStatus.DRAFT
    )
    ids = list(drafts.values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    respond_by = now + dt.timedelta(hours=settings_for(program).proposal_response_hours)
    Proposal.objects.filter(pk__in=ids).update(
        status=ProposalStatus.PROPOSED, sent_at=now, respond_by=respond_by
    )
    sent = list(Proposal.objects.filter(pk__in=ids).select_related("program", "supporter__user"))
    record_events(
        audit_event(actor=sent_by, action="matching.proposal.sent", target=proposal)
        for proposal in sent
    )
    for proposal in sent:
        services.ask_supporter(proposal)
    return len(sent)
