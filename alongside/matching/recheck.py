"""The fresh check of a run's chosen pairs, all at once, in a fixed number of queries.

A run scores and solves on the program's snapshot, which may be minutes old. Before its drafts
are saved, every chosen pair passes the check a proposal made by hand passes (`queries.check_pair`),
read fresh from the database for all the pairs together: the request still waits and no
proposal holds it; the supporter is still ready and has places left for every request given
them; no hard constraint is broken (a conflict recorded, a detail changed). The number of
queries does not grow with the number of pairs.
"""

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

import numpy as np
from django.db.models import QuerySet

from alongside.intake.models import SupportRequest
from alongside.matching.models import MatchingSettings
from alongside.matching.queries import weights_of
from alongside.matching.scoring import (
    CRITERIA,
    NeedTable,
    Reason,
    SupporterPool,
    criterion_label,
    hard_masks,
    parts,
    points,
)
from alongside.matching.snapshot import (
    Vocabulary,
    current_load,
    needs_for,
    waiting_requests,
)
from alongside.matching.snapshot.rows import read_rows
from alongside.matching.snapshot.table import encode
from alongside.programs.models import Program

# What the supporter's own state decides; the fresh places are counted for all their pairs.
_THE_SUPPORTERS_OWN = (Reason.NOT_READY, Reason.FULL)


@dataclass(frozen=True)
class Passed:
    """A pair that passed, with its score as a proposal made by hand records it."""

    support_request: SupportRequest  # read fresh
    supporter_id: int
    score: Decimal
    score_parts: dict[str, float]


@dataclass(frozen=True)
class Verdict:
    """The pairs that passed, by request id, and why the others did not."""

    passed: dict[int, Passed]
    no_longer_waiting: set[int]  # request ids proposed by hand or closed meanwhile
    places_left: dict[int, int]  # supporters given more than they can take now: places left
    refused: set[tuple[int, int]]  # (request id, supporter id): something else changed

    @property
    def all_passed(self) -> bool:
        return not (self.no_longer_waiting or self.places_left or self.refused)


def waiting_to_match(program: Program) -> QuerySet[SupportRequest]:
    """`waiting_requests` with only what matching reads: no peer, no words to decrypt."""
    return (
        waiting_requests(program)
        .select_related(None)
        .select_related("program", "experience__allied_to", "site")
        .defer("about", "preferences", "best_times")
    )


def check_pairs(
    program: Program,
    program_settings: MatchingSettings,
    pairs: Mapping[int, int],
    *,
    now: dt.datetime,
) -> Verdict:
    """Each (request id -> supporter id) pair read fresh; call it with their rows locked."""
    fresh_requests = {
        request_.pk: request_ for request_ in waiting_to_match(program).filter(pk__in=list(pairs))
    }
    pool = _fresh_pool(program, sorted(set(pairs.values())), now=now)
    places_left = _short_of_places(pool, pairs)
    to_check = [
        request_id
        for request_id, supporter_id in pairs.items()
        if request_id in fresh_requests and supporter_id not in places_left
    ]
    verdict = Verdict(
        passed={},
        no_longer_waiting=set(pairs) - set(fresh_requests),
        places_left=places_left,
        refused=set(),
    )
    if to_check:
        _check_each(
            pool, program_settings, [fresh_requests[pk] for pk in to_check], pairs, verdict, now
        )
    return verdict


@dataclass(frozen=True)
class _Fresh:
    pool: SupporterPool
    vocabulary: Vocabulary
    row_of: dict[int, int]


def _fresh_pool(program: Program, supporter_ids: Sequence[int], *, now: dt.datetime) -> _Fresh:
    """The chosen supporters read afresh from plain values, as the snapshot reads everyone
    (`snapshot.rows`; no model object per supporter, a fifth of the time for 2,000)."""
    table = encode(read_rows(program, now, only=supporter_ids))
    load = current_load(program.pk, supporter_ids)
    open_matches = np.array([load.get(int(pk), 0) for pk in table.pool.ids], dtype=np.int64)
    return _Fresh(
        pool=replace(table.pool, open_matches=open_matches),
        vocabulary=table.vocabulary,
        row_of=table.row_of,
    )


def _short_of_places(fresh: _Fresh, pairs: Mapping[int, int]) -> dict[int, int]:
    """Supporters given more requests than they can take now (none when not ready or gone)."""
    free = np.where(fresh.pool.ready, fresh.pool.free_places, 0)
    short: dict[int, int] = {}
    for supporter_id, given in Counter(pairs.values()).items():
        row = fresh.row_of.get(supporter_id)
        left = 0 if row is None else int(free[row])
        if given > left:
            short[supporter_id] = left
    return short


def _check_each(
    fresh: _Fresh,
    program_settings: MatchingSettings,
    requests: Sequence[SupportRequest],
    pairs: Mapping[int, int],
    verdict: Verdict,
    now: dt.datetime,
) -> None:
    needs = needs_for(
        requests,
        fresh.vocabulary,
        exclude_same_site=program_settings.exclude_same_site,
        now=now,
    )
    rows = np.array([fresh.row_of[pairs[request_.pk]] for request_ in requests], dtype=np.int64)
    scored = points(parts(fresh.pool, NeedTable.of(needs), rows), weights_of(program_settings))
    labels = [criterion_label(criterion) for criterion in CRITERIA]
    for position, (request_, need) in enumerate(zip(requests, needs, strict=True)):
        masks = hard_masks(fresh.pool, need, rows[position : position + 1])
        broken = [reason for reason, mask in masks.items() if bool(mask[0])]
        supporter_id = pairs[request_.pk]
        if any(reason not in _THE_SUPPORTERS_OWN for reason in broken):
            verdict.refused.add((request_.pk, supporter_id))
            continue
        earned = sorted(
            (
                (label, float(value))
                for label, value in zip(labels, scored[position].tolist(), strict=True)
                if value > 0
            ),
            key=lambda part: -part[1],
        )
        score_parts = dict(earned)
        verdict.passed[request_.pk] = Passed(
            support_request=request_,
            supporter_id=supporter_id,
            score=Decimal(str(round(sum(score_parts.values()), 1))),
            score_parts=score_parts,
        )
