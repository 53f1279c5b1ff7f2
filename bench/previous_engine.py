"""The previous matching engine (before the province issue), kept only as the benchmark's peer.

It is the product code as it was, unchanged but for names: the page path ranked and sorted every
supporter who passes, sorted every supporter left out, and read every array through an index;
the batch scored each request on its own (every feasible pair, uncapped) and solved the
assignment with scipy's LAPJVsp on capacity-expanded columns, with the urgency folded into the
cost of leaving a request unmatched (a weight, not a strict priority).
"""

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from alongside.matching.assignment import UNMATCHED, Assignment, Candidates
from alongside.matching.scoring import (
    CRITERIA,
    NONE,
    BoolArray,
    FloatArray,
    IntArray,
    Need,
    Ranked,
    Reason,
    SupporterPool,
    Weights,
    points,
)


def _popcount(values: IntArray) -> IntArray:
    counts: IntArray = np.bitwise_count(values.astype(np.uint64)).astype(np.int64)
    return counts


def hard_masks(
    pool: SupporterPool, need: Need, rows: IntArray | None = None
) -> dict[Reason, BoolArray]:
    """For each hard constraint, which supporters (of `rows`, or all) break it."""
    index = np.arange(len(pool)) if rows is None else rows
    masks = {
        Reason.NOT_READY: ~pool.ready[index],
        Reason.LANGUAGE: (pool.languages[index] & need.languages) == 0,
        Reason.METHOD: (pool.methods[index] & need.methods) == 0,
        Reason.FULL: pool.open_matches[index] >= pool.capacity[index],
    }
    if need.availability:
        offered = pool.availability[index]
        masks[Reason.AVAILABILITY] = (offered != 0) & ((offered & need.availability) == 0)
    if need.exclude_same_site and need.site != NONE:
        masks[Reason.SAME_SITE] = pool.site[index] == need.site
    if need.declined:
        masks[Reason.DECLINED] = np.isin(pool.ids[index], list(need.declined))
    if need.conflicts:
        masks[Reason.CONFLICT] = np.isin(pool.ids[index], list(need.conflicts))
    if need.gender_is_firm and need.gender_wanted != NONE:
        masks[Reason.GENDER] = pool.gender[index] != need.gender_wanted
    # A supporter's own firm preferences: a person who did not say is not assumed to fit.
    genders = pool.accepts_genders[index]
    person_gender = 0 if need.gender == NONE else 1 << need.gender
    masks[Reason.SUPPORTER_GENDER] = (genders != 0) & ((genders & person_gender) == 0)
    relationships = pool.accepts_relationships[index]
    masks[Reason.SUPPORTER_RELATIONSHIP] = (relationships != 0) & (
        (relationships & need.relationship) == 0
    )
    return masks


def feasible(pool: SupporterPool, need: Need, rows: IntArray | None = None) -> BoolArray:
    broken = hard_masks(pool, need, rows)
    mask = np.ones(len(pool) if rows is None else len(rows), dtype=bool)
    for reason_mask in broken.values():
        mask &= ~reason_mask
    return mask


def parts(pool: SupporterPool, need: Need, rows: IntArray) -> FloatArray:
    """The soft criteria for `rows`, each in [0, 1], one column per criterion (CRITERIA order)."""
    count = len(rows)
    columns = np.zeros((count, len(CRITERIA)), dtype=np.float64)
    if need.family != NONE:
        relation = pool.relationships[rows, need.family]
        columns[:, 0] = relation != 0
        columns[:, 1] = (relation & need.relationship) != 0
        columns[:, 3] = np.minimum(pool.years_lived[rows, need.family], 10.0) / 10.0
    if need.role != NONE:
        columns[:, 2] = pool.role[rows] == need.role
    if need.birth_year:
        known = pool.birth_year[rows] > 0
        gap = np.abs(pool.birth_year[rows] - need.birth_year)
        columns[:, 4] = np.where(known, np.clip(1.0 - gap / 30.0, 0.0, 1.0), 0.0)
    if need.gender_wanted != NONE:
        columns[:, 5] = pool.gender[rows] == need.gender_wanted
    same_region = (pool.region[rows] == need.region) & (need.region != NONE)
    hours_apart = np.abs(pool.utc_offset_minutes[rows] - need.utc_offset_minutes) / 60.0
    columns[:, 6] = np.where(same_region, 1.0, np.clip(1.0 - hours_apart / 6.0, 0.0, 1.0) * 0.5)
    if need.availability:
        offered = pool.availability[rows]
        shared = _popcount(offered & need.availability) / max(bin(need.availability).count("1"), 1)
        columns[:, 7] = np.where(offered == 0, 0.5, shared)
    capacity = np.maximum(pool.capacity[rows], 1)
    free_share = np.clip(1.0 - pool.open_matches[rows] / capacity, 0.0, 1.0)
    # Past their pledged hours, the share fades: at twice the pledge it is gone.
    beyond_pledge = np.clip(pool.pledge_used[rows] - 1.0, 0.0, 1.0)
    columns[:, 8] = free_share * (1.0 - beyond_pledge)
    columns[:, 9] = min(max(need.urgency, 0.0), 1.0)
    return columns


def rank(
    pool: SupporterPool,
    need: Need,
    weights: Weights,
    *,
    limit: int | None = None,
    allowed: BoolArray | None = None,
) -> Ranked:
    """The feasible supporters, best first; ties go to the lighter load, then the lower id.

    `allowed` is `feasible(pool, need)` when the caller has it already.
    """
    rows = np.flatnonzero(feasible(pool, need) if allowed is None else allowed)
    scored = points(parts(pool, need, rows), weights)
    totals = np.round(scored.sum(axis=1), 1)
    order = np.lexsort((pool.ids[rows], pool.open_matches[rows], -totals))
    if limit is not None:
        order = order[:limit]
    return Ranked(rows=rows[order], points=scored[order], count=len(rows))


def candidates_for(pool: SupporterPool, needs: Iterable[Need], weights: Weights) -> Candidates:
    """Every feasible (request, supporter) pair with its total score, for the assignment."""
    weight_vector = weights.vector()
    open_rows = np.flatnonzero(pool.ready & (pool.open_matches < pool.capacity))
    by_codes: dict[tuple[int, int], IntArray] = {}
    request_parts: list[IntArray] = []
    supporter_parts: list[IntArray] = []
    score_parts: list[FloatArray] = []
    for request_index, need in enumerate(needs):
        key = (need.languages, need.methods)
        if key not in by_codes:
            shared = (pool.languages[open_rows] & need.languages) != 0
            shared &= (pool.methods[open_rows] & need.methods) != 0
            by_codes[key] = open_rows[shared]
        rows = by_codes[key]
        rows = rows[feasible(pool, need, rows)]
        if len(rows) == 0:
            continue
        totals = np.round(parts(pool, need, rows) @ weight_vector, 3)
        request_parts.append(np.full(len(rows), request_index, dtype=np.int64))
        supporter_parts.append(rows.astype(np.int64))
        score_parts.append(totals)
    if not request_parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(requests=empty, supporters=empty, scores=np.zeros(0))
    return Candidates(
        requests=np.concatenate(request_parts),
        supporters=np.concatenate(supporter_parts),
        scores=np.concatenate(score_parts),
    )


PLACE_PENALTY = 1e-6


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


def _empty(request_count: int) -> Assignment:
    return Assignment(
        supporter_for=np.full(request_count, UNMATCHED, dtype=np.int64),
        scores=np.zeros(request_count, dtype=np.float64),
    )


def page_path(
    pool: SupporterPool, need: Need, weights: Weights, *, limit: int, left_out: int
) -> tuple[Ranked, IntArray]:
    """What the shortlist page computed: every mask, every feasible supporter ranked, every
    supporter left out sorted."""
    masks = hard_masks(pool, need)
    allowed = ~np.logical_or.reduce(list(masks.values()))
    ranked = rank(pool, need, weights, allowed=allowed)
    broken = np.sum(list(masks.values()), axis=0, dtype=np.int64)
    left_rows = np.flatnonzero(broken > 0)
    nearest = left_rows[np.lexsort((pool.ids[left_rows], broken[left_rows]))][:left_out]
    return ranked, nearest
