"""Matching benchmark: shortlist latency and whole-pool assignment, beside the peers.

Run from the project folder:  .venv/bin/python bench/bench_matching.py  (about a minute)
Each scenario runs in its own process, so its peak memory (max RSS) is its own. The results
go to standard output as a Markdown table; bench/RESULTS.md records a run.

Peers measured in the same run, on the same candidate pairs:
- greedy: the best-scoring pair first, then the next that still fits;
- longest-waiting first: each request, oldest first, takes its best remaining supporter
  (what coordinators do by hand);
- Hungarian on a dense padded matrix (the `munkres` package, as used by existing
  mentor-matching tools), at the sizes where it finishes in reasonable time.
"""

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")

import django

django.setup()

from alongside.matching.assignment import (  # noqa: E402
    UNMATCHED,
    Assignment,
    assign_greedy,
    assign_in_order,
    assign_optimal,
)
from alongside.matching.scoring import (  # noqa: E402
    NONE,
    Need,
    SupporterPool,
    Weights,
    candidates_for,
    rank,
)

LANGUAGES = 9
METHODS = 5
FAMILIES = 8
PERIODS = 21  # 7 days x morning, afternoon, evening
ROLES = 12
SITES = 40
REGIONS = 15


def _bits(rng: np.random.Generator, count: int, choices: int, low: int, high: int) -> np.ndarray:
    """`count` bit sets, each with between `low` and `high` bits of `choices` set."""
    sizes = rng.integers(low, high + 1, count)
    keys = rng.random((count, choices))
    ranks = keys.argsort(axis=1).argsort(axis=1)
    chosen = ranks < sizes[:, None]
    return (chosen * (1 << np.arange(choices))).sum(axis=1).astype(np.int64)


def make_pool(rng: np.random.Generator, size: int, capacity_high: int = 5) -> SupporterPool:
    # Most supporters speak English; a quarter speak one or two other languages instead or too.
    speaks_english = rng.random(size) < 0.75
    others = _bits(rng, size, LANGUAGES - 1, 0, 2) << 1
    languages = np.where(speaks_english, 1 | others, np.maximum(others, 2))
    relationships = np.zeros((size, FAMILIES), dtype=np.int8)
    years = np.zeros((size, FAMILIES), dtype=np.float32)
    family = rng.integers(0, FAMILIES, size)
    relationships[np.arange(size), family] = rng.choice([1, 2, 4], size)
    years[np.arange(size), family] = rng.uniform(1, 25, size)
    capacity = rng.integers(1, capacity_high + 1, size)
    return SupporterPool(
        ids=np.arange(1, size + 1, dtype=np.int64),
        ready=rng.random(size) < 0.92,
        languages=languages.astype(np.int64),
        methods=_bits(rng, size, METHODS, 1, 2),
        relationships=relationships,
        years_lived=years,
        role=rng.integers(0, ROLES, size),
        site=rng.integers(0, SITES, size),
        region=rng.integers(0, REGIONS, size),
        utc_offset_minutes=rng.choice([-480, -420, -360, -300, -240, -210], size),
        birth_year=rng.integers(1950, 2005, size),
        gender=rng.integers(0, 3, size),
        availability=_bits(rng, size, PERIODS, 2, 3),
        capacity=capacity,
        open_matches=rng.integers(0, capacity),
        # One in ten supports only one gender; one in twenty only one relationship.
        accepts_genders=np.where(rng.random(size) < 0.1, 1 << rng.integers(0, 3, size), 0),
        accepts_relationships=np.where(rng.random(size) < 0.05, rng.choice([1, 2, 4], size), 0),
        pledge_used=rng.uniform(0, 1.5, size),
    )


def make_need(rng: np.random.Generator) -> Need:
    language = 1 if rng.random() < 0.7 else 1 << int(rng.integers(1, LANGUAGES))
    return Need(
        languages=language,
        methods=int(_bits(rng, 1, METHODS, 1, 1)[0]),
        family=int(rng.integers(0, FAMILIES)),
        relationship=int(rng.choice([1, 2, 4])),
        role=int(rng.integers(0, ROLES)),
        site=int(rng.integers(0, SITES)),
        region=int(rng.integers(0, REGIONS)),
        utc_offset_minutes=int(rng.choice([-480, -300, -240])),
        birth_year=int(rng.integers(1950, 2005)),
        gender=int(rng.integers(0, 3)),
        gender_wanted=int(rng.choice([NONE, 0, 1])),
        availability=int(_bits(rng, 1, PERIODS, 1, 1)[0]),
        exclude_same_site=True,
        urgency=float(rng.random()),
    )


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def shortlist_scenario(size: int, queries: int) -> dict[str, object]:
    rng = np.random.default_rng(7)
    pool = make_pool(rng, size)
    weights = Weights()
    needs = [make_need(rng) for _ in range(queries)]
    rank(pool, needs[0], weights, limit=10)  # warm
    timings = []
    for need in needs:
        started = time.perf_counter()
        rank(pool, need, weights, limit=10)
        timings.append((time.perf_counter() - started) * 1000)
    return {
        "scenario": f"shortlist, {size:,} supporters",
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "max_ms": round(max(timings), 2),
        "queries": queries,
        "peak_mb": round(peak_memory_mb()),
    }


def _summary(result: Assignment, optimum: Assignment | None) -> dict[str, object]:
    summary: dict[str, object] = {
        "matched": result.matched,
        "total_score": round(result.total_score, 1),
    }
    if optimum is not None and optimum.total_score:
        summary["score_gap_pct"] = round(100 * (1 - result.total_score / optimum.total_score), 2)
        summary["matched_gap"] = optimum.matched - result.matched
    return summary


def assignment_scenario(requests: int, supporters: int, capacity_high: int) -> dict[str, object]:
    rng = np.random.default_rng(11)
    pool = make_pool(rng, supporters, capacity_high)
    needs = [make_need(rng) for _ in range(requests)]
    started = time.perf_counter()
    candidates = candidates_for(pool, needs, Weights())
    scored_at = time.perf_counter()
    free = pool.free_places * pool.ready
    urgency = np.array([need.urgency for need in needs])
    optimum = assign_optimal(
        request_count=requests, capacity=free, candidates=candidates, priority=urgency
    )
    solved_at = time.perf_counter()
    per_request = np.bincount(candidates.requests, minlength=requests)
    row: dict[str, object] = {
        "scenario": f"{requests:,} requests x {supporters:,} supporters (capacity 1-{capacity_high})",
        "places": int(free.sum()),
        "pairs": len(candidates.scores),
        "feasible_per_request_p5_p50_p95": [
            int(v) for v in np.percentile(per_request, [5, 50, 95])
        ],
        "scoring_s": round(scored_at - started, 2),
        "solve_s": round(solved_at - scored_at, 2),
        "total_s": round(solved_at - started, 2),
        "optimal": _summary(optimum, None),
    }
    for name, method in (
        (
            "greedy",
            lambda: assign_greedy(request_count=requests, capacity=free, candidates=candidates),
        ),
        (
            "longest_waiting_first",
            lambda: assign_in_order(
                request_count=requests,
                capacity=free,
                candidates=candidates,
                request_order=np.argsort(-urgency, kind="stable"),
            ),
        ),
    ):
        began = time.perf_counter()
        peer = method()
        row[name] = {"s": round(time.perf_counter() - began, 2), **_summary(peer, optimum)}
    for name, result in (("optimal", optimum),):
        left_out = result.supporter_for == UNMATCHED
        if left_out.any():
            row[f"{name}_urgency_of_left_out_mean"] = round(float(urgency[left_out].mean()), 2)
            row[f"{name}_urgency_of_matched_mean"] = round(float(urgency[~left_out].mean()), 2)
    row["peak_mb"] = round(peak_memory_mb())
    _check(optimum, free)
    return row


def munkres_scenario(requests: int, supporters: int) -> dict[str, object]:
    """The Hungarian method on a dense matrix with one column per place, as the peers do."""
    from munkres import Munkres

    rng = np.random.default_rng(13)
    pool = make_pool(rng, supporters, 3)
    needs = [make_need(rng) for _ in range(requests)]
    candidates = candidates_for(pool, needs, Weights())
    free = pool.free_places * pool.ready
    started = time.perf_counter()
    optimum = assign_optimal(request_count=requests, capacity=free, candidates=candidates)
    optimal_s = time.perf_counter() - started

    owners = np.repeat(np.arange(len(pool)), free)
    top = float(candidates.scores.max()) + 1
    # Padded as the mentor-matching tools do: a forbidden pair costs a prohibitive amount, and
    # one "nobody" column per request costs a little less, so a row is never left impossible.
    forbidden, nobody = 1e6, 5e5
    width = len(owners) + requests
    dense = [[forbidden] * len(owners) + [nobody] * requests for _ in range(requests)]
    first = np.concatenate(([0], np.cumsum(free)[:-1]))
    for request, supporter, score in zip(
        candidates.requests, candidates.supporters, candidates.scores, strict=True
    ):
        for place in range(int(free[supporter])):
            dense[int(request)][int(first[supporter]) + place] = top - float(score)
    began = time.perf_counter()
    pairs = Munkres().compute(dense)
    munkres_s = time.perf_counter() - began
    chosen = np.full(requests, UNMATCHED)
    scores = np.zeros(requests)
    lookup = {
        (int(r), int(s)): float(v)
        for r, s, v in zip(
            candidates.requests, candidates.supporters, candidates.scores, strict=True
        )
    }
    for request, column in pairs:
        if column < len(owners) and dense[request][column] < nobody:
            chosen[request] = owners[column]
            scores[request] = lookup[(request, int(owners[column]))]
    hungarian = Assignment(supporter_for=chosen, scores=scores)
    return {
        "scenario": f"{requests} requests x {supporters} supporters, dense {requests}x{width}",
        "optimal_s": round(optimal_s, 3),
        "munkres_s": round(munkres_s, 2),
        "optimal": _summary(optimum, None),
        "munkres": _summary(hungarian, optimum),
        "peak_mb": round(peak_memory_mb()),
    }


def _check(result: Assignment, capacity: np.ndarray) -> None:
    used = np.bincount(
        result.supporter_for[result.supporter_for != UNMATCHED], minlength=len(capacity)
    )
    assert (used <= capacity).all(), "capacity exceeded"


SCENARIOS = {
    "shortlist-100k": lambda: shortlist_scenario(100_000, 300),
    "assign-5000x20000": lambda: assignment_scenario(5_000, 20_000, 5),
    "assign-5000x2000": lambda: assignment_scenario(5_000, 2_000, 3),
    "munkres-150x300": lambda: munkres_scenario(150, 300),
    "munkres-1000x2000": lambda: munkres_scenario(1_000, 2_000),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=SCENARIOS)
    arguments = parser.parse_args()
    if arguments.scenario:
        print(json.dumps(SCENARIOS[arguments.scenario]()))
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"numpy {np.__version__}"
    )
    for name in SCENARIOS:
        output = subprocess.run(
            [sys.executable, __file__, "--scenario", name],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        print(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
