"""Who could support a request, why the others cannot, and the check a proposal must pass.

The shortlist and the "why not?" answers score the program's warm snapshot (snapshot.py) with
the pure functions of scoring.py; the one-supporter check that guards proposing and starting a
match reads that supporter fresh from the database, so a stale snapshot can only ever suggest.
"""

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.matching.models import (
    MatchingSettings,
    Proposal,
    ProposalStatus,
)
from alongside.matching.page import Page, shortlist_page
from alongside.matching.scoring import (
    CRITERIA,
    BoolArray,
    Need,
    Ranked,
    Reason,
    SupporterPool,
    Weights,
    criterion_label,
    hard_masks,
    rank,
    reason_text,
)
from alongside.matching.snapshot import (
    Snapshot,
    build_pool,
    current_load,
    live_state,
    needs_for,
    program_supporters,
    snapshot_for,
    stored_snapshot,
)
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.supporters.gate import readiness_of_a_few
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.queries import Readiness, readiness


@dataclass(frozen=True)
class ScorePart:
    label: str
    points: float


@dataclass(frozen=True)
class Candidate:
    supporter: Supporter
    place: int  # 1 for the best placed
    total: float
    parts: tuple[ScorePart, ...]  # the criteria that earned points, most first
    places_in_use: int

    @property
    def score_parts(self) -> dict[str, float]:
        return {part.label: part.points for part in self.parts}


@dataclass(frozen=True)
class LeftOut:
    supporter: Supporter
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Answer:
    """Why a supporter is, or is not, on a request's shortlist."""

    supporter: Supporter
    reasons: tuple[str, ...]  # the hard constraints they break; empty when they could be matched
    candidate: Candidate | None  # their place and score when they could be


@dataclass(frozen=True)
class Shortlist:
    candidates: list[Candidate]
    can_take_it: int  # every supporter who passes the hard constraints
    left_out: list[LeftOut]  # the first of those who do not, nearest to fitting first
    left_out_count: int
    answer: Answer | None = None  # "why not this person?", when one was asked
    being_prepared: bool = False  # the program's first snapshot is being built in the worker


def settings_for(program: Program) -> MatchingSettings:
    found, _created = MatchingSettings.objects.get_or_create(program=program)
    return found


def weights_of(settings: MatchingSettings) -> Weights:
    points = {criterion: float(settings.weights.get(str(criterion), 0)) for criterion in CRITERIA}
    return Weights(points=points)


def availability_reasons(
    supporter: Supporter, today: dt.date, ready: Readiness | None = None
) -> list[str]:
    """Why a supporter cannot take anyone now: status, a break, and the readiness gate."""
    reasons: list[str] = []
    if supporter.status != SupporterStatus.ACTIVE:
        reasons.append(
            _("is not ready to be matched (%(status)s)")
            % {"status": supporter.get_status_display().lower()}
        )
    if supporter.away_until and supporter.away_until >= today:
        reasons.append(_("is away until %(date)s") % {"date": supporter.away_until.isoformat()})
    # The readiness gate: every required step, check, training and agreement is current.
    reasons += (ready or readiness(supporter, today)).missing
    return reasons


def _reasons(
    masks: dict[Reason, BoolArray],
    row: int,
    supporter: Supporter,
    today: dt.date,
    ready: Readiness | None = None,
) -> list[str]:
    """The hard constraints supporter `row` breaks, in words; "not ready" in the gate's own."""
    reasons: list[str] = []
    for reason, mask in masks.items():
        if not bool(mask[row]):
            continue
        if reason == Reason.NOT_READY:
            reasons += availability_reasons(supporter, today, ready) or [reason_text(reason)]
        else:
            reasons.append(reason_text(reason))
    return reasons


@dataclass(frozen=True)
class _Scored:
    pool: SupporterPool
    need: Need
    weights: Weights
    page: Page  # the first `limit` who pass, the first `left_out` who do not
    row_of: dict[int, int]
    today: dt.date

    @property
    def masks(self) -> dict[Reason, BoolArray]:
        return self.page.masks

    @property
    def ranked(self) -> Ranked:
        return self.page.ranked


def _score(
    support_request: SupportRequest, snapshot: Snapshot, *, limit: int, left_out: int
) -> _Scored:
    return _score_all([support_request], snapshot, limit=limit, left_out=left_out)[0]


def _score_all(
    requests: Sequence[SupportRequest], snapshot: Snapshot, *, limit: int, left_out: int = 0
) -> list[_Scored]:
    """Each request of one program scored against the program's supporters, read once: the
    first `limit` who could take it, the first `left_out` who cannot."""
    program = requests[0].program
    settings = settings_for(program)
    weights = weights_of(settings)
    now = timezone.now()
    today = program.calendar.today(now)
    live = live_state(program.pk, requests)
    pool = snapshot.with_current_load(live.load)
    same_site = settings.exclude_same_site
    needs = needs_for(
        requests, snapshot.vocabulary, exclude_same_site=same_site, now=now, live=live
    )
    return [
        _Scored(
            pool=pool,
            need=need,
            weights=weights,
            page=shortlist_page(
                pool, need, weights, limit=limit, left_out=left_out, hidden=snapshot.gone
            ),
            row_of=snapshot.row_of,
            today=today,
        )
        for need in needs
    ]


def _earned(ranked: Ranked, index: int) -> tuple[ScorePart, ...]:
    """The criteria that earned the `index`-th ranked supporter points, most first."""
    earned = [
        ScorePart(label=criterion_label(criterion), points=float(points))
        for criterion, points in zip(CRITERIA, ranked.points[index], strict=True)
        if points > 0
    ]
    return tuple(sorted(earned, key=lambda part: -part.points))


def _candidate(scored: _Scored, index: int, supporter: Supporter) -> Candidate:
    row = int(scored.ranked.rows[index])
    return Candidate(
        supporter=supporter,
        place=index + 1,
        total=float(scored.ranked.totals[index]),
        parts=_earned(scored.ranked, index),
        places_in_use=int(scored.pool.open_matches[row]),
    )


def _supporters_by_id(ids: list[int]) -> dict[int, Supporter]:
    found = Supporter.objects.filter(pk__in=ids).select_related("user", "site")
    return {supporter.pk: supporter for supporter in found}


def shortlist(
    support_request: SupportRequest,
    *,
    limit: int = 10,
    left_out: int = 12,
    explain: Supporter | None = None,
) -> Shortlist:
    """The best-placed supporters for a request with their score part by part, and the first
    of those left out (nearest to fitting first) with their reasons; with `explain`, also the
    answer to "why not this person?" from the same scoring. A page never builds the program's
    snapshot: while the worker builds the first one, the shortlist says it is being prepared."""
    snapshot = stored_snapshot(support_request.program)
    if snapshot is None:
        return Shortlist(
            candidates=[], can_take_it=0, left_out=[], left_out_count=0, being_prepared=True
        )
    scored = _score(support_request, snapshot, limit=limit, left_out=left_out)
    top_ids = [int(scored.pool.ids[row]) for row in scored.ranked.rows]
    nearest_ids = [int(scored.pool.ids[row]) for row in scored.page.left_out]
    people = _supporters_by_id(top_ids + nearest_ids)
    candidates = [
        _candidate(scored, index, people[supporter_id])
        for index, supporter_id in enumerate(top_ids)
        if supporter_id in people
    ]
    shown_left_out = [people[found] for found in nearest_ids if found in people]
    # The gate's words, only for those it keeps off (a fixed two queries, or none).
    row_of, today = scored.row_of, scored.today
    not_ready = scored.masks[Reason.NOT_READY]
    kept_off = [one for one in shown_left_out if not_ready[row_of[one.pk]]]
    ready = readiness_of_a_few(support_request.program, kept_off, today)
    explained = [
        LeftOut(one, tuple(_reasons(scored.masks, row_of[one.pk], one, today, ready.get(one.pk))))
        for one in shown_left_out
    ]
    explained.sort(key=lambda item: (len(item.reasons), item.supporter.display_name.casefold()))
    return Shortlist(
        candidates=candidates,
        can_take_it=scored.ranked.count,
        left_out=explained,
        left_out_count=scored.page.left_out_count,
        answer=_answer(support_request, scored, explain) if explain else None,
    )


def alternatives(drafts: Sequence[Proposal], *, limit: int = 3) -> dict[int, list[Candidate]]:
    """For each draft of one program's run, the best-placed supporters other than the one it
    proposes, keyed by draft, from one reading of the program (none while its snapshot is
    being prepared)."""
    snapshot = stored_snapshot(drafts[0].program) if drafts else None
    if snapshot is None:
        return {}
    scored = _score_all([draft.request for draft in drafts], snapshot, limit=limit + 1)
    rows = {
        draft.pk: [
            (index, int(each.pool.ids[row]))
            for index, row in enumerate(each.ranked.rows)
            if int(each.pool.ids[row]) != draft.supporter_id
        ][:limit]
        for draft, each in zip(drafts, scored, strict=True)
    }
    people = _supporters_by_id([pk for found in rows.values() for _index, pk in found])
    return {
        draft.pk: [
            _candidate(each, index, people[pk]) for index, pk in rows[draft.pk] if pk in people
        ]
        for draft, each in zip(drafts, scored, strict=True)
    }


def why_not(support_request: SupportRequest, supporter: Supporter) -> Answer:
    """For any supporter: what keeps them off this request's shortlist, or where they rank."""
    scored = _score(support_request, snapshot_for(support_request.program), limit=0, left_out=0)
    return _answer(support_request, scored, supporter)


def _answer(support_request: SupportRequest, scored: _Scored, supporter: Supporter) -> Answer:
    if supporter.program_id != support_request.program_id:
        return Answer(supporter, (_("belongs to another program"),), None)
    row = scored.row_of.get(supporter.pk)
    if row is None:  # joined after the snapshot was built
        return Answer(supporter, check_pair(support_request, supporter).reasons, None)
    if scored.page.allowed[row]:
        if row not in scored.ranked.rows:  # below the shown places: rank everyone who passes
            everyone = rank(scored.pool, scored.need, scored.weights, allowed=scored.page.allowed)
            scored = replace(scored, page=replace(scored.page, ranked=everyone))
        place = int(np.flatnonzero(scored.ranked.rows == row)[0])
        return Answer(supporter, (), _candidate(scored, place, supporter))
    return Answer(supporter, tuple(_reasons(scored.masks, row, supporter, scored.today)), None)


@dataclass(frozen=True)
class Fit:
    reasons: tuple[str, ...]  # every hard constraint the pair breaks; empty when none
    score_parts: dict[str, float]  # points per criterion, in words, when it breaks none

    @property
    def can_match(self) -> bool:
        return not self.reasons


def check_pair(support_request: SupportRequest, supporter: Supporter) -> Fit:
    """The pair's fit, read fresh from the database rather than from the snapshot.

    This is the check that guards proposing and starting a match; call it with both rows
    locked so that the places it counts cannot change underneath.
    """
    if supporter.program_id != support_request.program_id:
        return Fit(reasons=(_("belongs to another program"),), score_parts={})
    program = support_request.program
    settings = settings_for(program)
    now = timezone.now()
    fresh = program_supporters(program.pk, only=[supporter.pk])[0]
    pool, vocabulary = build_pool(program, [fresh], now=now)
    load = current_load(program.pk, [fresh.pk])
    pool = replace(pool, open_matches=np.array([load.get(fresh.pk, 0)], dtype=np.int64))
    (need,) = needs_for(
        [support_request], vocabulary, exclude_same_site=settings.exclude_same_site, now=now
    )
    today = program.calendar.today(now)
    reasons = tuple(dict.fromkeys(_reasons(hard_masks(pool, need), 0, fresh, today)))
    if reasons:
        return Fit(reasons=reasons, score_parts={})
    ranked = rank(pool, need, weights_of(settings))
    return Fit(reasons=(), score_parts={part.label: part.points for part in _earned(ranked, 0)})


def reasons_not_to_pair(support_request: SupportRequest, supporter: Supporter) -> tuple[str, ...]:
    """The hard constraints the pair breaks, read fresh (the check matches asks before starting)."""
    return check_pair(support_request, supporter).reasons


# ---- proposals, for the coordinator's pages ---------------------------------------------------


def proposals_of_run(user: User, batch: uuid.UUID) -> QuerySet[Proposal]:
    """A matching run's proposals in the user's programs, the most pressing request first."""
    return (
        Proposal.objects.visible_to(user)
        .filter(batch=batch, program_id__in=program_ids_for(user, STAFF_ROLES))
        .select_related(
            "program",
            "request__program",
            "request__peer",
            "request__experience__allied_to",
            "request__site",
            "supporter__user",
        )
        .order_by("request__due_at", "pk")
    )


def run_has_drafts(batch: uuid.UUID) -> bool:
    """Whether a matching run still has drafts to review."""
    return Proposal.objects.filter(batch=batch, status=ProposalStatus.DRAFT).exists()
