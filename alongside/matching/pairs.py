"""Every feasible (request, supporter) pair of a batch, with its score, in bounded memory.
Pure: numpy only, no ORM.

`candidates_for` builds what `assignment.assign_optimal` solves:

1. Requests are taken in order of (languages, methods, availability): requests that share the
   three share the supporters who are ready, have room, speak one of the languages, offer one
   of the ways of contact and are free at one of the times (one mask per distinct value,
   combined once per group, never per request).
2. The pairs are checked against the other hard constraints and scored in chunks of about
   `CHUNK_PAIRS` pairs, with the same `scoring.parts` as the shortlist (one need per pair), so
   memory holds one chunk beside the result, whatever the number of requests.
3. Each request keeps only its best pairs: by score (ties: the pool's order) until the kept
   supporters' free places add up to K = min(R, P), where R is the number of requests and P
   the free places of the whole pool. The result holds at most R x K pairs, since every kept
   supporter brings at least one place.

Why the cap in point 3 keeps the optimum (all three priorities of `assign_optimal`: most
requests matched, the most urgent, the highest total score). Let T be the supporters kept for a
request r, and take a best assignment that gives r a supporter s outside T. Besides r, at most
K - 1 requests are matched: no more than R - 1 others, and no more than P - 1 other places.
T holds at least K places, so one of them is free. Moving r there matches the same requests
(same count, same urgency) for a score no lower (s ranks below everyone in T): the assignment
is still best. Moves only fill free places, so a request moved into its T stays there while the
others move; after moving each such request once, a best assignment uses kept pairs only, and
so the best on the kept pairs is the best on all pairs. It is a priori: nothing to check after.
"""

import itertools
from collections.abc import Iterable, Iterator, Sequence

import numpy as np

from alongside.matching.assignment import Candidates
from alongside.matching.scoring import (
    NONE,
    BoolArray,
    FloatArray,
    IntArray,
    Need,
    NeedTable,
    SupporterPool,
    Weights,
    load_parts,
    parts,
    supporter_refuses,
)

CHUNK_PAIRS = 1 << 18  # about 40 MB of working arrays per chunk


def candidates_for(
    pool: SupporterPool,
    needs: Iterable[Need],
    weights: Weights,
    *,
    capped: bool = True,
    chunk_pairs: int = CHUNK_PAIRS,
) -> Candidates:
    """Every feasible (request, supporter) pair with its total score; when `capped`, each
    request's best ones only, if it has more than it could ever need (point 3 above).
    Each request's pairs are together."""
    needs = list(needs)
    table = NeedTable.of(needs)
    free = np.maximum(pool.capacity - pool.open_matches, 0)
    open_rows = np.flatnonzero(pool.ready & (free > 0))
    batch = _Batch(pool, table, weights, _excluded(pool, needs))
    if capped:
        batch.places = min(len(needs), int(free[open_rows].sum()))
    for requests, rows in _groups(pool, table, open_rows):
        share = max(1, chunk_pairs // max(len(rows), 1))
        for start in range(0, len(requests), share):
            piece = requests[start : start + share]
            batch.add(np.repeat(piece, len(rows)), np.tile(rows, len(piece)), chunk_pairs)
    batch.flush()
    return batch.candidates()


def _excluded(pool: SupporterPool, needs: Sequence[Need]) -> IntArray | None:
    """The pairs a request's own record rules out (declined before, a conflict), as keys."""
    span = int(pool.ids.max(initial=0)) + 1
    keys = [
        index * span + supporter_id
        for index, need in enumerate(needs)
        for supporter_id in need.declined | need.conflicts
        if 0 <= supporter_id < span
    ]
    return np.unique(np.array(keys, dtype=np.int64)) if keys else None


def _groups(
    pool: SupporterPool, table: NeedTable, open_rows: IntArray
) -> Iterator[tuple[IntArray, IntArray]]:
    """Requests sharing languages, methods and availability, with the supporters they share."""
    order = np.lexsort((table.availability, table.methods, table.languages))
    if len(order) == 0:
        return
    keys = np.stack((table.languages, table.methods, table.availability))[:, order]
    changes = np.flatnonzero((keys[:, 1:] != keys[:, :-1]).any(axis=0)) + 1
    bounds = np.concatenate(([0], changes, [len(order)]))
    languages, methods = pool.languages[open_rows], pool.methods[open_rows]
    offered = pool.availability[open_rows]
    by_language: dict[int, BoolArray] = {}
    by_method: dict[int, BoolArray] = {}
    by_time: dict[int, BoolArray] = {}
    for start, end in itertools.pairwise(bounds):
        language, method, time = (int(value) for value in keys[:, start])
        if language not in by_language:
            by_language[language] = (languages & language) != 0
        if method not in by_method:
            by_method[method] = (methods & method) != 0
        if time not in by_time:
            by_time[time] = (offered == 0) | ((offered & time) != 0) | (time == 0)
        shared = by_language[language] & by_method[method] & by_time[time]
        yield order[start:end].astype(np.int64), open_rows[shared]


class _Batch:
    """Pairs waiting to be checked and scored, and the pairs kept so far."""

    def __init__(
        self, pool: SupporterPool, table: NeedTable, weights: Weights, excluded: IntArray | None
    ) -> None:
        self.pool, self.table, self.excluded = pool, table, excluded
        self.weights = weights.vector()
        self.load = load_parts(pool)
        self.free = np.maximum(pool.capacity - pool.open_matches, 0)
        self.span = int(pool.ids.max(initial=0)) + 1
        # Per request: the site it must not share (NONE for none), the gender it firmly wants,
        # its own gender as a bit (0 when it did not say).
        self.other_site = np.where(table.exclude_same_site, table.site, NONE)
        self.firm = table.gender_is_firm & (table.gender_wanted != NONE)
        self.firm_gender = table.gender_wanted
        self.person_gender = np.where(table.gender == NONE, 0, 1 << np.maximum(table.gender, 0))
        self.places = np.iinfo(np.int64).max  # the cap: places a request's pairs may hold
        self.waiting: list[tuple[IntArray, IntArray]] = []
        self.waiting_size = 0
        self.kept: list[tuple[IntArray, IntArray, FloatArray]] = []

    def add(self, requests: IntArray, rows: IntArray, chunk_pairs: int) -> None:
        self.waiting.append((requests, rows))
        self.waiting_size += len(rows)
        if self.waiting_size >= chunk_pairs:
            self.flush()

    def flush(self) -> None:
        if not self.waiting:
            return
        requests = np.concatenate([requests for requests, _rows in self.waiting])
        rows = np.concatenate([rows for _requests, rows in self.waiting])
        self.waiting, self.waiting_size = [], 0
        fits = np.flatnonzero(~self._broken(requests, rows))
        requests, rows = requests[fits], rows[fits]
        need = self.table.take(requests)
        totals = np.round(parts(self.pool, need, rows, load=self.load) @ self.weights, 3)
        best = self._best(requests, rows, totals)
        self.kept.append((requests[best], rows[best], totals[best]))

    def _broken(self, requests: IntArray, rows: IntArray) -> BoolArray:
        """The hard constraints the groups did not already apply."""
        pool, table = self.pool, self.table
        broken = (pool.site[rows] == self.other_site[requests]) & (pool.site[rows] != NONE)
        broken |= (pool.gender[rows] != self.firm_gender[requests]) & self.firm[requests]
        broken |= supporter_refuses(pool.accepts_genders[rows], self.person_gender[requests])
        broken |= supporter_refuses(pool.accepts_relationships[rows], table.relationship[requests])
        if self.excluded is not None:
            broken |= np.isin(requests * self.span + pool.ids[rows], self.excluded)
        found: BoolArray = broken
        return found

    def _best(self, requests: IntArray, rows: IntArray, totals: FloatArray) -> BoolArray:
        """Each request's best pairs until they hold `places` places (the cap)."""
        keep = np.ones(len(rows), dtype=bool)
        if len(rows) == 0:
            return keep
        starts = np.flatnonzero(np.concatenate(([True], requests[1:] != requests[:-1])))
        places = self.free[rows]
        if not (np.add.reduceat(places, starts) > self.places).any():
            return keep
        run = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, len(rows))))
        order = np.lexsort((rows, -totals, run))
        ranked_places = places[order]
        held = np.cumsum(ranked_places) - ranked_places  # places held before each pair
        keep[order] = held - held[starts][run] < self.places
        return keep

    def candidates(self) -> Candidates:
        if not self.kept:
            empty = np.zeros(0, dtype=np.int64)
            return Candidates(requests=empty, supporters=empty, scores=np.zeros(0))
        return Candidates(
            requests=np.concatenate([requests for requests, _rows, _totals in self.kept]),
            supporters=np.concatenate([rows for _requests, rows, _totals in self.kept]),
            scores=np.concatenate([totals for _requests, _rows, totals in self.kept]),
        )
