"""An independent exact solver for the benchmark: HiGHS's simplex (through scipy) on the
linear program of the assignment.

It shares no code and no reasoning with `alongside.matching.assignment`: the three priorities
are solved one after the other as linear programs over every pair (x = 1 when the pair is
chosen; each request at most once, each supporter at most its free places):

1. the most pairs, m;
2. with at least m pairs, the highest sum of the matched requests' priorities in hundredths, u;
3. with at least m pairs and that sum at least u, the highest total of the scores in thousandths.

Each step keeps the previous optimum as a constraint, so the answer is lexicographic by
construction. Why a linear program gives whole pairs: the constraint matrix of a bipartite
assignment is totally unimodular, so its polytope P has whole-number vertices; step 2 and 3
optimise over the optimal face of the step before, a face of P, whose vertices are vertices of
P. The simplex returns a vertex: the solution is rounded, checked to be whole (to 1e-6) and
within the capacities, and the three sums are recomputed in whole numbers.
"""

import numpy as np
from scipy.optimize import linprog
from scipy.sparse import csr_matrix, vstack
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

SLACK = 1e-6  # the previous optimum is kept to this much (HiGHS works in floating point)


def everyone_matched_optimum(
    *,
    request_count: int,
    capacity: np.ndarray,
    requests: np.ndarray,
    supporters: np.ndarray,
    scores: np.ndarray,
    priority: np.ndarray,
) -> tuple[int, int, int] | None:
    """When every request can be matched, the same three sums by scipy's LAPJVsp (a different
    algorithm again): with everyone matched, points 1 and 2 are settled, and among full
    matchings of the requests into capacity-expanded places, the least total of (top - score)
    in whole thousandths is the highest total score; the costs and their sums stay far below
    2^53, so the floating-point solver is exact. None when no full matching exists."""
    usable = capacity[supporters] > 0
    requests, supporters, scores = requests[usable], supporters[usable], scores[usable]
    gains = np.rint(scores * 1000).astype(np.int64)
    places = np.maximum(capacity, 0).astype(np.int64)
    first = np.concatenate(([0], np.cumsum(places)[:-1]))
    per_pair = places[supporters]
    entry_pair = np.repeat(np.arange(len(requests)), per_pair)
    place = np.arange(len(entry_pair)) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    top = int(gains.max(initial=0)) + 1
    matrix = csr_matrix(
        (
            (top - gains[entry_pair]).astype(float),
            (requests[entry_pair], first[supporters][entry_pair] + place),
        ),
        shape=(request_count, int(places.sum())),
    )
    try:
        rows, columns = min_weight_full_bipartite_matching(matrix)
    except ValueError:
        return None
    owner = np.repeat(np.arange(len(places)), places)[columns]
    pair_of = {
        (int(r), int(s)): int(g) for r, s, g in zip(requests, supporters, gains, strict=True)
    }
    total = sum(pair_of[(int(r), int(s))] for r, s in zip(rows, owner, strict=True))
    urgency = np.rint(np.clip(priority, 0, 1) * 100).astype(np.int64)
    return len(rows), int(urgency[rows].sum()), total


def lexicographic_optimum(
    *,
    request_count: int,
    capacity: np.ndarray,
    requests: np.ndarray,
    supporters: np.ndarray,
    scores: np.ndarray,
    priority: np.ndarray,
) -> tuple[int, int, int]:
    """(matched, sum of the matched priorities in hundredths, total score in thousandths)."""
    usable = capacity[supporters] > 0
    requests, supporters, scores = requests[usable], supporters[usable], scores[usable]
    pairs = len(requests)
    if pairs == 0:
        return 0, 0, 0
    urgency = np.rint(np.clip(priority, 0, 1) * 100).astype(np.int64)[requests]
    gains = np.rint(scores * 1000).astype(np.int64)
    columns = np.arange(pairs)
    structure = vstack(
        (
            csr_matrix((np.ones(pairs), (requests, columns)), shape=(request_count, pairs)),
            csr_matrix((np.ones(pairs), (supporters, columns)), shape=(len(capacity), pairs)),
        )
    ).tocsr()
    limits = np.concatenate((np.ones(request_count), capacity.astype(float)))
    rows, bounds = [structure], [limits]
    solution = np.zeros(pairs)
    for objective in (np.ones(pairs), urgency.astype(float), gains.astype(float)):
        found = linprog(
            -objective,
            A_ub=vstack(rows).tocsr(),
            b_ub=np.concatenate(bounds),
            bounds=(0, 1),
            method="highs-ds",
        )
        if found.status != 0:
            raise RuntimeError(f"HiGHS did not solve the step: {found.message}")
        solution = found.x
        best = round(float(objective @ solution))
        rows.append(csr_matrix(-objective[np.newaxis, :]))
        bounds.append(np.array([-best + SLACK]))
    chosen = np.rint(solution).astype(bool)
    if np.abs(solution - chosen).max() > 1e-3:
        raise RuntimeError("HiGHS returned a fractional assignment.")
    taken = np.bincount(supporters[chosen], minlength=len(capacity))
    if (taken > capacity).any() or np.bincount(requests[chosen]).max(initial=0) > 1:
        raise RuntimeError("HiGHS broke a capacity.")
    return int(chosen.sum()), int(urgency[chosen].sum()), int(gains[chosen].sum())
