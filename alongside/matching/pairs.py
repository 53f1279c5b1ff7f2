"""Every feasible (request, supporter) pair of a batch, with its score, in bounded memory.
Pure: numpy only, no ORM.

`candidates_for` builds what `assignment.assign_optimal` solves:

1. Requests are taken in order of (languages, methods, availability): requests that share the
   three share the supporters who are ready, have room, speak one of the languages, offer one
   of the ways of contact and are free at one of the times (one mask per distinct value,
   combined once per group, never per request).
2. The pairs are checked against the other hard constraints and scored a block at a time
   (requests x supporters, about `CHUNK_PAIRS` pairs), with the same `scoring` formulas as the
   shortlist, so memory holds one block beside the result, whatever the number of requests.
   A large group's block reads each supporter's values once and sets them against every
   request's (broadcast); small groups are packed into one block, each request with its own
   supporters, so that the work per block is not repeated for a handful of pairs.
3. Each request keeps only its best pairs: by score (ties: the pool's order) until the kept
   supporters' free places add up to K = min(R, P), where R is the number of requests and P
   the free places of the whole pool. The result holds at most R x K pairs, since every kept
   supporter brings at least one place: a partition of each request's pairs finds its best K,
   and only those are sorted.

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
from dataclasses import replace

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
    parts_by_criterion,
    supporter_refuses,
)

CHUNK_PAIRS = 1 << 18  # pairs in a block: about 40 MB of working arrays
PACKED = 64  # a group of fewer than CHUNK_PAIRS / PACKED pairs is packed with others
PAD = -1  # the place of no supporter in a packed block's rows


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
    Each request's pairs are together, in the pool's order."""
    needs = list(needs)
    table = NeedTable.of(needs)
    free = pool.free_places
    open_rows = np.flatnonzero(pool.ready & (free > 0))
    batch = _Batch(pool, table, weights, _excluded(needs))
    if capped:
        batch.places = min(len(needs), int(free[open_rows].sum()))
    for requests, rows in _blocks(_groups(pool, table, open_rows), chunk_pairs):
        batch.add(requests, rows)
    return batch.candidates()


def _excluded(needs: Sequence[Need]) -> dict[int, IntArray]:
    """The supporters a request's own record rules out (declined before, a conflict), by
    request index."""
    return {
        index: np.array(sorted(need.declined | need.conflicts), dtype=np.int64)
        for index, need in enumerate(needs)
        if need.declined or need.conflicts
    }


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


def _blocks(
    groups: Iterable[tuple[IntArray, IntArray]], chunk_pairs: int
) -> Iterator[tuple[IntArray, IntArray]]:
    """Blocks of requests with their supporters' rows, in the groups' order: a large group's
    requests share one row list [row]; small groups are packed together, one row list per
    request, padded with PAD [request, row]."""
    packed: list[tuple[IntArray, IntArray]] = []
    size = width = 0
    for requests, rows in groups:
        pairs = len(requests) * len(rows)
        if pairs * PACKED >= chunk_pairs:
            yield from _pack(packed)
            packed, size, width = [], 0, 0
            share = max(1, chunk_pairs // max(len(rows), 1))
            for start in range(0, len(requests), share):
                yield requests[start : start + share], rows
            continue
        wider = max(width, len(rows))
        count = sum(len(requests) for requests, _rows in packed) + len(requests)
        # Padding costs at most as much as the pairs themselves.
        if packed and (count * wider > chunk_pairs or count * wider > 2 * (size + pairs)):
            yield from _pack(packed)
            packed, size, wider = [], 0, len(rows)
        packed.append((requests, rows))
        size, width = size + pairs, wider
    yield from _pack(packed)


def _pack(packed: Sequence[tuple[IntArray, IntArray]]) -> Iterator[tuple[IntArray, IntArray]]:
    if not packed:
        return
    width = max(len(rows) for _requests, rows in packed)
    requests = np.concatenate([requests for requests, _rows in packed])
    block = np.full((len(requests), width), PAD, dtype=np.int64)
    at = 0
    for group_requests, rows in packed:
        block[at : at + len(group_requests), : len(rows)] = rows
        at += len(group_requests)
    yield requests, block


class _Batch:
    """The pairs kept so far; each block of requests x supporters is checked, scored and
    capped at once."""

    def __init__(
        self,
        pool: SupporterPool,
        table: NeedTable,
        weights: Weights,
        excluded: dict[int, IntArray],
    ) -> None:
        self.pool, self.table, self.excluded = pool, table, excluded
        self.weights = weights.vector()
        self.load = load_parts(pool)
        self.free = pool.free_places
        # Per request: the site it must not share (NONE for none), whether it firmly wants a
        # gender, its own gender as a bit (0 when it did not say).
        self.other_site = np.where(table.exclude_same_site, table.site, NONE)
        self.firm = table.gender_is_firm & (table.gender_wanted != NONE)
        self.person_gender = np.where(table.gender == NONE, 0, 1 << np.maximum(table.gender, 0))
        self.has_excluded = np.zeros(len(table.languages), dtype=bool)
        self.has_excluded[list(excluded)] = True
        self.places = np.iinfo(np.int64).max  # the cap: places a request's pairs may hold
        self.kept: list[tuple[IntArray, IntArray, FloatArray]] = []

    def add(self, requests: IntArray, rows: IntArray) -> None:
        """Every pair of a block (`_blocks`): checked, scored, and each request's best kept."""
        fits = ~self._broken(requests, rows)
        need = self.table.take(requests[:, None])
        if rows.ndim == 1:  # one group: one availability, its part worked out per supporter
            need = replace(need, availability=need.availability[:1])
        by_criterion = parts_by_criterion(self.pool, need, rows, load=self.load)
        raw = by_criterion.reshape(len(by_criterion), -1).T @ self.weights
        totals = np.round(raw, 3).reshape(fits.shape)
        at, column = np.nonzero(self._best(fits, totals, rows))
        self.kept.append(
            (requests[at], np.broadcast_to(rows, fits.shape)[at, column], totals[at, column])
        )

    def _broken(self, requests: IntArray, rows: IntArray) -> BoolArray:
        """The hard constraints the groups did not already apply, [request, row]."""
        pool, asking = self.pool, requests[:, None]
        site = pool.site[rows]
        # NONE on either side never matches: a site the request must not share is never NONE.
        broken = np.where(site == NONE, -2, site) == self.other_site[asking]
        broken |= rows == PAD
        if self.firm[requests].any():
            wanted = self.table.gender_wanted[asking]
            broken |= (pool.gender[rows] != wanted) & self.firm[asking]
        for accepted, asked in (
            (pool.accepts_genders[rows], self.person_gender),
            (pool.accepts_relationships[rows], self.table.relationship),
        ):
            if accepted.any():
                broken |= supporter_refuses(accepted, asked[asking])
        every_row = np.broadcast_to(rows, broken.shape)
        for at in np.flatnonzero(self.has_excluded[requests]):
            broken[at] |= np.isin(pool.ids[every_row[at]], self.excluded[int(requests[at])])
        found: BoolArray = broken
        return found

    def _best(self, fits: BoolArray, totals: FloatArray, rows: IntArray) -> BoolArray:
        """Each request's best pairs (by total, then the pool's order) until they hold `places`
        places (the cap), [request, row]."""
        places = np.broadcast_to(self.free[rows], fits.shape)
        over = np.flatnonzero(np.where(fits, places, 0).sum(axis=1) > self.places)
        if len(over) == 0:
            return fits
        # One whole number per pair, higher is better: the total in thousandths, then the
        # earlier row (rows are in the pool's order); -1 for a pair that does not fit.
        count = fits.shape[1]
        shift = max(count.bit_length(), 1)
        thousandths = np.rint(totals[over] * 1000).astype(np.int64)
        key = np.where(fits[over], (thousandths << shift) | (count - 1 - np.arange(count)), -1)
        cap = self.places
        # Every kept pair holds a place at least: none of a request's best `cap` is left out.
        if count > cap:
            key = np.partition(key, count - cap, axis=1)[:, count - cap :]
        ranked = np.sort(key, axis=1)[:, ::-1]
        column = np.where(ranked >= 0, count - 1 - (ranked & ((1 << shift) - 1)), 0)
        ranked_places = np.where(ranked >= 0, np.take_along_axis(places[over], column, 1), 0)
        held = np.cumsum(ranked_places, axis=1) - ranked_places  # places held before each pair
        at, position = np.nonzero((ranked >= 0) & (held < cap))
        keep = fits.copy()
        keep[over] = False
        keep[over[at], column[at, position]] = True
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
