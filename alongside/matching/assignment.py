"""Assigning waiting requests to supporters with capacities. Pure: numpy and scipy, no ORM.

The candidate pairs arrive as three parallel arrays (request index, supporter index, score),
one entry per pair that passes every hard constraint. `assign_optimal` finds the assignment
that matches as many requests as possible and, among those, has the highest total score. It
uses scipy's sparse assignment (LAPJVsp) on capacity-expanded columns:

- a supporter with capacity c becomes c columns; the k-th place costs a little more than the
  one before, so that the work is spread when scores tie;
- each request also gets a private "unmatched" column whose cost is higher than any sum of
  real costs could make up for, so a solution that matches one more request always wins;
- that cost grows with the request's priority (how near it is to its promised time), so when
  capacity is short the requests left waiting are the ones that can wait best.

`assign_greedy` (best pair first) and `assign_in_order` (each request in turn takes its best
remaining supporter, as coordinators do by hand, longest-waiting first) are the peers the
benchmark compares against; they are also the baseline in the property tests.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

UNMATCHED = -1
# Later places of one supporter cost this much more each: it spreads load on ties, and is far
# smaller than the smallest score difference that matters (scores are rounded to 0.001).
PLACE_PENALTY = 1e-6


@dataclass(frozen=True)
class Candidates:
    """Every feasible pair: request index, supporter index, score (higher is better, >= 0)."""

    requests: IntArray
    supporters: IntArray
    scores: FloatArray

    def __post_init__(self) -> None:
        if not (len(self.requests) == len(self.supporters) == len(self.scores)):
            raise ValueError("Candidate arrays must have the same length.")
        if len(self.scores) and float(self.scores.min()) < 0:
            raise ValueError("Scores must not be negative.")


@dataclass(frozen=True)
class Assignment:
    """The supporter chosen for each request (UNMATCHED when none)."""

    supporter_for: IntArray
    scores: FloatArray  # the chosen pair's score per request, 0 when unmatched

    @property
    def matched(self) -> int:
        return int((self.supporter_for != UNMATCHED).sum())

    @property
    def total_score(self) -> float:
        return float(self.scores.sum())


def _empty(request_count: int) -> Assignment:
    return Assignment(
        supporter_for=np.full(request_count, UNMATCHED, dtype=np.int64),
        scores=np.zeros(request_count, dtype=np.float64),
    )


def _usable(candidates: Candidates, capacity: IntArray) -> npt.NDArray[np.bool_]:
    return capacity[candidates.supporters] > 0


def assign_optimal(
    *,
    request_count: int,
    capacity: IntArray,
    candidates: Candidates,
    priority: FloatArray | None = None,
) -> Assignment:
    """Most requests matched; then the most urgent (`priority`, 0-1); then the best total score.

    Capacities are never exceeded. Priorities are compared to two decimals, so requests that
    are nearly as urgent as each other are decided by score.
    """
    result = _empty(request_count)
    usable = _usable(candidates, capacity)
    requests = candidates.requests[usable]
    supporters = candidates.supporters[usable]
    scores = candidates.scores[usable]
    if request_count == 0 or len(requests) == 0:
        return result

    # Capacity-expanded columns: supporter s owns columns first_place[s] .. + capacity[s] - 1.
    places = np.maximum(capacity, 0).astype(np.int64)
    first_place = np.concatenate(([0], np.cumsum(places)[:-1]))
    per_pair = places[supporters]
    pair_of_entry = np.repeat(np.arange(len(requests)), per_pair)
    place_number = np.arange(len(pair_of_entry)) - np.repeat(
        np.cumsum(per_pair) - per_pair, per_pair
    )
    columns = first_place[supporters][pair_of_entry] + place_number

    top = float(scores.max()) + 1.0
    costs = (top - scores[pair_of_entry]) + place_number * PLACE_PENALTY
    # No set of real costs adds up to more than `floor`, so leaving a request unmatched is the
    # last resort whatever the scores; among requests left out, the least urgent go first.
    floor = (top + 1.0) * (request_count + 1)
    urgency = np.zeros(request_count) if priority is None else np.round(np.clip(priority, 0, 1), 2)
    unmatched_cost = floor * (1.0 + urgency)

    slot_count = int(places.sum())
    matrix = csr_matrix(
        (
            np.concatenate((costs, unmatched_cost)),
            (
                np.concatenate((requests[pair_of_entry], np.arange(request_count))),
                np.concatenate((columns, slot_count + np.arange(request_count))),
            ),
        ),
        shape=(request_count, slot_count + request_count),
    )
    rows, chosen_columns = min_weight_full_bipartite_matching(matrix)

    real = chosen_columns < slot_count
    slot_owner = np.repeat(np.arange(len(places)), places)
    result.supporter_for[rows[real]] = slot_owner[chosen_columns[real]]
    _fill_scores(result, requests, supporters, scores)
    return result


def _fill_scores(
    result: Assignment, requests: IntArray, supporters: IntArray, scores: FloatArray
) -> None:
    chosen = result.supporter_for[requests] == supporters
    result.scores[requests[chosen]] = scores[chosen]


def assign_greedy(*, request_count: int, capacity: IntArray, candidates: Candidates) -> Assignment:
    """The best-scoring pair first, then the next best that still fits (a peer method)."""
    result = _empty(request_count)
    left = capacity.astype(np.int64).copy()
    order = np.lexsort((candidates.supporters, candidates.requests, -candidates.scores))
    for index in order:
        request, supporter = candidates.requests[index], candidates.supporters[index]
        if result.supporter_for[request] == UNMATCHED and left[supporter] > 0:
            result.supporter_for[request] = supporter
            result.scores[request] = candidates.scores[index]
            left[supporter] -= 1
    return result


def assign_in_order(
    *, request_count: int, capacity: IntArray, candidates: Candidates, request_order: IntArray
) -> Assignment:
    """Each request in turn takes its best remaining supporter (what coordinators do by hand)."""
    result = _empty(request_count)
    left = capacity.astype(np.int64).copy()
    by_request = np.lexsort((candidates.supporters, -candidates.scores, candidates.requests))
    starts = np.searchsorted(candidates.requests[by_request], np.arange(request_count + 1))
    for request in request_order:
        for index in by_request[starts[request] : starts[request + 1]]:
            supporter = candidates.supporters[index]
            if left[supporter] > 0:
                result.supporter_for[request] = supporter
                result.scores[request] = candidates.scores[index]
                left[supporter] -= 1
                break
    return result
