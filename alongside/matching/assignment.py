"""Assigning waiting requests to supporters with capacities. Pure: numpy and OR-Tools, no ORM.

The candidate pairs arrive as three parallel arrays (request index, supporter index, score),
one entry per pair that passes every hard constraint. `assign_optimal` finds the assignment
that, in this order of priority:

1. matches as many requests as possible;
2. among those, matches the most urgent: the sum of the matched requests' priorities (0-1,
   compared to 0.01) is the highest, so the requests left waiting are those that can wait best;
3. among those, has the highest total score (scores compared to 0.001).

Each priority is exact: no amount of score buys a less urgent choice, and no urgency buys a
request left unmatched. It is solved as two minimum-cost flows (OR-Tools' cost-scaling
push-relabel, in whole numbers), source -> urgency level -> request -> supporter -> sink, where
each supporter's arc to the sink carries its free places:

- Step one finds the largest flow (most requests matched) and, among the largest, the one whose
  request arcs cost least at minus the request's priority in hundredths (most urgent). Every
  assignment that is best on points 1 and 2 matches the same number of requests at each urgency
  level (the sets of requests that can be matched together form a matroid, and the best sets of
  a matroid under a weight take the same number of elements of each weight), so step one fixes
  how many of each level are matched: it does not choose who.
- Step two caps the arc from the source to each level at that number and finds the largest
  flow of least cost, at minus the score in thousandths on each pair: the best total score among
  the assignments that are best on points 1 and 2.

No overflow. Step one's costs are at most 100 in size, step two's at most the highest score
in thousandths: a program gives each of its 10 criteria at most 100 points, so 1,000,000 at most
(C below). OR-Tools multiplies every cost by (n + 1), n the number of nodes, after checking that
the products stay under 2^62; its prices then stay within about 4 n (n + 1) C (Goldberg's bound
for cost scaling, epsilon divided by 5 each round). For 20,000 requests and 100,000 supporters
(n < 121,000) that is under 6 * 10^16, far below 2^63 (9.2 * 10^18). OR-Tools reports any
overflow as a status rather than a wrong flow, and any status but OPTIMAL raises here. Our own
sums (the prices of `_settle`, the totals) add at most n costs: under 10^12, exact in int64.

Large problems (over `DIRECT_LIMIT` pairs) are solved on a few pairs first and checked against
all of them with the optimality certificate of a minimum-cost flow. Each request starts with its
best supporters holding `FIRST_PLACES` places (a request left unmatched in a round gets all its
pairs for the next). Once a round matches every request that has a candidate, points 1 and 2
cannot do better, and `_settle` computes prices for the flow's residual network (shortest
distances from the sink); when no pair left out has a negative reduced cost at those prices
(its score in thousandths is at most price(request) - price(supporter)), the prices prove that
no flow over all pairs scores more, and the answer is exact. Pairs that break the check are
added and the flow is solved again; when the rounds run out, every pair is solved at once.

`assign_greedy` (best pair first) and `assign_in_order` (each request in turn takes its best
remaining supporter, as coordinators do by hand, longest-waiting first) are the peers the
benchmark compares against; they are also the baseline in the property tests.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from ortools.graph.python.min_cost_flow import SimpleMinCostFlow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

UNMATCHED = -1
SCORE_STEPS = 1000  # scores are compared to 0.001
URGENCY_STEPS = 100  # priorities are compared to 0.01
DIRECT_LIMIT = 200_000  # up to this many pairs, solve on all of them at once
FIRST_PLACES = 4  # a large problem starts with each request's best supporters for this many places
ROUNDS = 6  # solve-and-check rounds before solving on every pair
SETTLE_PASSES = 500  # Bellman-Ford passes before giving up on the check


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


@dataclass(frozen=True)
class _Problem:
    """The usable pairs in whole units, grouped by request, with requests and supporters
    renumbered from 0 (only those with a usable pair)."""

    pair_index: IntArray  # the pair's position in the candidates
    requests: IntArray  # per pair, grouped: each request's pairs are contiguous
    supporters: IntArray
    gains: IntArray  # per pair: the score in thousandths
    starts: IntArray  # per request: its first pair; one more entry, the pair count
    levels: IntArray  # per request: its priority in hundredths, 0-100
    places: IntArray  # per supporter: free places
    request_ids: IntArray
    supporter_ids: IntArray

    @property
    def request_count(self) -> int:
        return len(self.request_ids)

    @property
    def supporter_count(self) -> int:
        return len(self.supporter_ids)


def _renumber(values: IntArray, size: int) -> tuple[IntArray, IntArray]:
    """The distinct values (ascending) and each value's rank among them, without sorting."""
    present = np.zeros(size, dtype=bool)
    present[values] = True
    rank = np.cumsum(present) - 1
    return np.flatnonzero(present).astype(np.int64), rank[values].astype(np.int64)


def _problem(
    request_count: int, capacity: IntArray, candidates: Candidates, priority: FloatArray | None
) -> _Problem | None:
    has_room = capacity[candidates.supporters] > 0
    if request_count == 0 or not has_room.any():
        return None
    usable = np.arange(len(has_room)) if has_room.all() else np.flatnonzero(has_room)
    in_order = candidates.requests if has_room.all() else candidates.requests[usable]
    changes = np.flatnonzero(in_order[1:] != in_order[:-1]) + 1
    runs = np.concatenate(([0], changes))
    if len(np.unique(in_order[runs])) == len(runs):  # each request's pairs are together
        request_ids = in_order[runs].astype(np.int64)
        requests = np.repeat(np.arange(len(runs)), np.diff(np.append(runs, len(in_order))))
    else:
        usable = usable[np.argsort(in_order, kind="stable")]
        request_ids, requests = _renumber(candidates.requests[usable], request_count)
    supporter_ids, supporters = _renumber(candidates.supporters[usable], len(capacity))
    urgency = np.zeros(request_count) if priority is None else np.clip(priority, 0.0, 1.0)
    return _Problem(
        pair_index=usable,
        requests=requests,
        supporters=supporters,
        gains=np.rint(candidates.scores[usable] * SCORE_STEPS).astype(np.int64),
        starts=np.searchsorted(requests, np.arange(len(request_ids) + 1)).astype(np.int64),
        levels=np.rint(urgency[request_ids] * URGENCY_STEPS).astype(np.int64),
        places=capacity[supporter_ids].astype(np.int64),
        request_ids=request_ids,
        supporter_ids=supporter_ids,
    )


def assign_optimal(
    *,
    request_count: int,
    capacity: IntArray,
    candidates: Candidates,
    priority: FloatArray | None = None,
) -> Assignment:
    """Most requests matched; then the most urgent (`priority`, 0-1); then the best total score.

    Capacities are never exceeded. Priorities are compared to two decimals and scores to three,
    so requests that are nearly as urgent as each other are decided by score.
    """
    result = _empty(request_count)
    problem = _problem(request_count, capacity, candidates, priority)
    if problem is None:
        return result
    chosen = _by_rounds(problem) if len(problem.gains) > DIRECT_LIMIT else None
    if chosen is None:
        chosen = _best(problem, np.ones(len(problem.gains), dtype=bool), _quotas(problem))
    pairs = problem.pair_index[chosen]
    result.supporter_for[candidates.requests[pairs]] = candidates.supporters[pairs]
    result.scores[candidates.requests[pairs]] = candidates.scores[pairs]
    return result


def _flow(
    problem: _Problem, use: BoolArray, level_caps: IntArray, level_costs: IntArray, gains: bool
) -> tuple[IntArray, int]:
    """The largest flow of least cost through source -> level -> request -> supporter -> sink
    on the pairs in `use`: the flow on each pair (0 or 1) and the flow's size."""
    levels = len(level_caps)
    requests, supporters = problem.request_count, problem.supporter_count
    first_request = 1 + levels
    first_supporter = first_request + requests
    sink = first_supporter + supporters
    pairs = np.flatnonzero(use)
    tails = np.concatenate(
        (
            np.zeros(levels, dtype=np.int64),
            1 + problem.levels,
            first_request + problem.requests[pairs],
            first_supporter + np.arange(supporters),
        )
    )
    heads = np.concatenate(
        (
            1 + np.arange(levels),
            first_request + np.arange(requests),
            first_supporter + problem.supporters[pairs],
            np.full(supporters, sink),
        )
    )
    capacities = np.concatenate(
        (level_caps, np.ones(requests + len(pairs), dtype=np.int64), problem.places)
    )
    costs = np.concatenate(
        (
            level_costs,
            np.zeros(requests, dtype=np.int64),
            -problem.gains[pairs] if gains else np.zeros(len(pairs), dtype=np.int64),
            np.zeros(supporters, dtype=np.int64),
        )
    )
    solver = SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), capacities, costs
    )
    total = int(level_caps.sum())
    solver.set_nodes_supplies(np.array([0, sink], dtype=np.int32), np.array([total, -total]))
    status = solver.solve_max_flow_with_min_cost()
    if status != SimpleMinCostFlow.OPTIMAL:
        raise ArithmeticError(f"The assignment could not be solved ({status}).")
    first_pair = levels + requests
    arcs = np.arange(first_pair, first_pair + len(pairs), dtype=np.int32)
    flows = np.zeros(len(use), dtype=np.int64)
    flows[pairs] = np.asarray(solver.flows(arcs), dtype=np.int64)
    return flows, int(solver.maximum_flow())


LEVELS = URGENCY_STEPS + 1


def _quotas(problem: _Problem) -> IntArray:
    """How many requests of each urgency level the best assignments match (step one)."""
    waiting = np.bincount(problem.levels, minlength=LEVELS).astype(np.int64)
    if np.count_nonzero(waiting) == 1:  # one level: the second step's largest flow suffices
        return waiting
    everyone = np.ones(len(problem.gains), dtype=bool)
    flows, _size = _flow(problem, everyone, waiting, -np.arange(LEVELS), gains=False)
    matched = np.zeros(problem.request_count, dtype=bool)
    matched[problem.requests[flows == 1]] = True
    return np.bincount(problem.levels[matched], minlength=LEVELS).astype(np.int64)


def _best(problem: _Problem, use: BoolArray, quotas: IntArray) -> BoolArray:
    """The pairs of the highest total score that match `quotas` requests of each level."""
    flows, _size = _flow(problem, use, quotas, np.zeros(LEVELS, dtype=np.int64), gains=True)
    chosen: BoolArray = flows == 1
    return chosen


def _by_rounds(problem: _Problem) -> BoolArray | None:
    """Solve on each request's best pairs, check against all, add what breaks the check.

    A request left unmatched in a round gets all its pairs for the next. None when the rounds
    run out (then every pair is solved at once).
    """
    use = _best_places(problem, FIRST_PLACES)
    everyone = np.bincount(problem.levels, minlength=LEVELS).astype(np.int64)
    for _round in range(ROUNDS):
        flows, size = _flow(problem, use, everyone, np.zeros(LEVELS, dtype=np.int64), True)
        if size < problem.request_count:
            # Someone's first pairs are all taken: give them every pair and try again.
            matched = np.zeros(problem.request_count, dtype=bool)
            matched[problem.requests[flows == 1]] = True
            use = use | ~matched[problem.requests]
            continue
        prices = _settle(problem, use, flows)
        if prices is None:
            return None
        margin = prices[problem.requests] - prices[problem.request_count + problem.supporters]
        broken = ~use & (problem.gains > margin)
        if not broken.any():
            chosen: BoolArray = flows == 1
            return chosen
        use = use | broken
    return None


def _best_places(problem: _Problem, wanted: int) -> BoolArray:
    """Each request's best pairs (by score, then order) until they hold `wanted` places."""
    sizes = np.diff(problem.starts)
    value = problem.gains.copy()
    held = np.zeros(problem.request_count, dtype=np.int64)
    use = np.zeros(len(value), dtype=bool)
    positions = np.arange(len(value))
    for _pick in range(wanted):
        best = np.maximum.reduceat(value, problem.starts[:-1])
        open_request = (best >= 0) & (held < wanted)
        if not open_request.any():
            break
        at_best = (value == np.repeat(best, sizes)) & np.repeat(open_request, sizes)
        first = np.minimum.reduceat(np.where(at_best, positions, len(value)), problem.starts[:-1])
        first = first[open_request]
        use[first] = True
        value[first] = -1
        held[open_request] += problem.places[problem.supporters[first]]
    return use


def _settle(problem: _Problem, use: BoolArray, flows: IntArray) -> IntArray | None:
    """Prices that prove a flow matching every request optimal on the pairs in `use`.

    Nodes: requests, then supporters, then the sink. The prices are the shortest distances
    from the sink in the flow's residual network (Bellman-Ford; the source and level arcs are
    full and lead nowhere back), so a request's price is as high, and a full supporter's as
    low, as any proof allows; a supporter with room costs 0. None when the distances have not
    settled after `SETTLE_PASSES` passes.
    """
    requests = problem.request_count
    sink = requests + problem.supporter_count
    supporter_node = requests + problem.supporters
    unused = np.flatnonzero(use & (flows == 0))
    taken = np.flatnonzero(flows == 1)
    held = np.bincount(problem.supporters[taken], minlength=problem.supporter_count)
    busy = requests + np.flatnonzero(held > 0)
    tails = np.concatenate(
        (problem.requests[unused], supporter_node[taken], np.full(len(busy), sink))
    )
    heads = np.concatenate((supporter_node[unused], problem.requests[taken], busy))
    costs = np.concatenate(
        (-problem.gains[unused], problem.gains[taken], np.zeros(len(busy), dtype=np.int64))
    )
    order = np.argsort(heads, kind="stable")
    tails, heads, costs = tails[order], heads[order], costs[order]
    starts = np.flatnonzero(np.concatenate(([True], heads[1:] != heads[:-1])))
    targets = heads[starts]
    far = np.iinfo(np.int64).max // 4  # not reached yet; far above any sum of costs
    prices = np.full(sink + 1, far, dtype=np.int64)
    prices[sink] = 0
    for _pass in range(SETTLE_PASSES):
        reach = prices[tails]
        best = np.minimum.reduceat(np.where(reach < far, reach + costs, far), starts)
        lower = best < prices[targets]
        if not lower.any():
            prices[requests:sink] = np.minimum(prices[requests:sink], 0)
            return prices
        prices[targets[lower]] = best[lower]
    return None


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
