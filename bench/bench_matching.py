"""Matching benchmark: the engine (shortlist page path and whole-pool assignment), beside the
previous engine and an independent solver, in the same run.

Run from the project folder:  .venv/bin/python bench/bench_matching.py [--repeat 3]
Each scenario runs in its own process, so its peak memory (max RSS) is its own; the timed
scenarios run `--repeat` times (in turn, so a busy spell on the machine hits each alike) and
their spread is printed. The results go to standard output; bench/RESULTS.md records runs.

- engine: `page.shortlist_page`; `pairs.candidates_for` + `assignment.assign_optimal`.
- previous: the engine before the province issue (`previous_engine.py`, kept only here).
- independent: `independent.py`, HiGHS's simplex on the linear program, priority after
  priority (and, when everyone can be matched, scipy's LAPJVsp in whole thousandths); the
  check compares (matched, urgency, total score) exactly.
- peers, on the same pairs: greedy (best pair first), longest-waiting first (each request,
  most urgent first, takes its best remaining supporter, as coordinators do by hand), and the
  Hungarian method on a dense padded matrix (`munkres`), at the sizes where it finishes.
"""

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")

import django

django.setup()

import independent  # noqa: E402
import previous_engine  # noqa: E402

from alongside.matching.assignment import (  # noqa: E402
    UNMATCHED,
    Assignment,
    Candidates,
    assign_greedy,
    assign_in_order,
    assign_optimal,
)
from alongside.matching.page import shortlist_page  # noqa: E402
from alongside.matching.pairs import candidates_for  # noqa: E402
from alongside.matching.scoring import NONE, Need, SupporterPool, Weights  # noqa: E402

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


def shortlist_scenario(size: int, queries: int, *, previous: bool) -> dict[str, object]:
    """The page path of a request's shortlist: 10 best placed, 12 nearest left out."""
    rng = np.random.default_rng(7)
    pool = make_pool(rng, size)
    weights = Weights()
    needs = [make_need(rng) for _ in range(queries)]

    def page(need: Need) -> object:
        if previous:
            return previous_engine.page_path(pool, need, weights, limit=10, left_out=12)
        return shortlist_page(pool, need, weights, limit=10, left_out=12)

    page(needs[0])  # warm
    timings, cpu = [], []
    for need in needs:
        started, cpu_started = time.perf_counter(), time.process_time()
        page(need)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return {
        "p50_ms": round(float(np.percentile(timings, 50)), 2),
        "p95_ms": round(float(np.percentile(timings, 95)), 2),
        "max_ms": round(max(timings), 2),
        "cpu_p95_ms": round(float(np.percentile(cpu, 95)), 2),
        "queries": queries,
        "peak_mb": round(peak_memory_mb()),
    }


def world(requests: int, supporters: int, capacity_high: int, seed: int = 11):
    rng = np.random.default_rng(seed)
    pool = make_pool(rng, supporters, capacity_high)
    needs = [make_need(rng) for _ in range(requests)]
    free = pool.free_places * pool.ready
    urgency = np.array([need.urgency for need in needs])
    return pool, needs, free, urgency


def summary(result: Assignment, urgency: np.ndarray) -> dict[str, int]:
    """The three priorities in whole units: matched, urgency in hundredths, score in 0.001."""
    matched = result.supporter_for != UNMATCHED
    return {
        "matched": result.matched,
        "urgency": int(np.rint(np.clip(urgency, 0, 1) * 100).astype(np.int64)[matched].sum()),
        "total": int(np.rint(result.scores * 1000).astype(np.int64).sum()),
    }


def assignment_scenario(
    requests: int, supporters: int, capacity_high: int, *, previous: bool
) -> dict[str, object]:
    pool, needs, free, urgency = world(requests, supporters, capacity_high)
    started, cpu_started = time.perf_counter(), time.process_time()
    if previous:
        candidates = previous_engine.candidates_for(pool, needs, Weights())
    else:
        candidates = candidates_for(pool, needs, Weights())
    scored_at = time.perf_counter()
    solve = previous_engine.assign_optimal if previous else assign_optimal
    result = solve(request_count=requests, capacity=free, candidates=candidates, priority=urgency)
    solved_at, cpu_s = time.perf_counter(), time.process_time() - cpu_started
    _check(result, free)
    return {
        "places": int(free.sum()),
        "pairs": len(candidates.scores),
        "scoring_s": round(scored_at - started, 3),
        "solve_s": round(solved_at - scored_at, 3),
        "total_s": round(solved_at - started, 3),
        "cpu_s": round(cpu_s, 3),
        "peak_mb": round(peak_memory_mb()),
        **summary(result, urgency),
    }


def check_scenario(requests: int, supporters: int, capacity_high: int) -> dict[str, object]:
    """The engine's result beside the independent solver's on every feasible pair, and the
    peers' on the engine's pairs."""
    pool, needs, free, urgency = world(requests, supporters, capacity_high)
    candidates = candidates_for(pool, needs, Weights())
    engine = summary(
        assign_optimal(
            request_count=requests, capacity=free, candidates=candidates, priority=urgency
        ),
        urgency,
    )
    every = candidates_for(pool, needs, Weights(), capped=False)
    arguments = {
        "request_count": requests,
        "capacity": free,
        "requests": every.requests,
        "supporters": every.supporters,
        "scores": every.scores,
        "priority": urgency,
    }
    started = time.perf_counter()
    found = independent.everyone_matched_optimum(**arguments)
    method = "LAPJVsp, everyone matched"
    if found is None:
        found, method = independent.lexicographic_optimum(**arguments), "HiGHS simplex"
    independent_s = time.perf_counter() - started
    solver = dict(zip(("matched", "urgency", "total"), found, strict=True))
    row: dict[str, object] = {
        "pairs": len(candidates.scores),
        "all_feasible_pairs": len(every.scores),
        "engine": engine,
        "independent": {**solver, "method": method, "s": round(independent_s, 1)},
        "equal": engine == solver,
    }
    row.update(_peers(requests, free, candidates, urgency, engine))
    return row


def _peers(
    requests: int, free: np.ndarray, candidates: Candidates, urgency: np.ndarray, best: dict
) -> dict[str, object]:
    methods: dict[str, Callable[[], Assignment]] = {
        "greedy": lambda: assign_greedy(
            request_count=requests, capacity=free, candidates=candidates
        ),
        "longest_waiting_first": lambda: assign_in_order(
            request_count=requests,
            capacity=free,
            candidates=candidates,
            request_order=np.argsort(-urgency, kind="stable"),
        ),
    }
    found: dict[str, object] = {}
    for name, method in methods.items():
        began = time.perf_counter()
        peer = summary(method(), urgency)
        found[name] = {
            "s": round(time.perf_counter() - began, 2),
            **peer,
            "matched_gap": best["matched"] - peer["matched"],
            "score_gap_pct": round(100 * (1 - peer["total"] / best["total"]), 2),
        }
    return found


def munkres_scenario(requests: int, supporters: int) -> dict[str, object]:
    """The Hungarian method on a dense matrix with one column per place, as the peers do."""
    from munkres import Munkres

    pool, needs, free, _urgency = world(requests, supporters, 3, seed=13)
    candidates = candidates_for(pool, needs, Weights(), capped=False)
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
    none = np.zeros(requests)
    return {
        "dense": f"{requests} x {width}",
        "engine_s": round(optimal_s, 3),
        "munkres_s": round(munkres_s, 2),
        "engine": summary(optimum, none),
        "munkres": summary(hungarian, none),
        "peak_mb": round(peak_memory_mb()),
    }


def _check(result: Assignment, capacity: np.ndarray) -> None:
    used = np.bincount(
        result.supporter_for[result.supporter_for != UNMATCHED], minlength=len(capacity)
    )
    assert (used <= capacity).all(), "capacity exceeded"


TIMED = {
    "shortlist-100k": lambda: shortlist_scenario(100_000, 300, previous=False),
    "shortlist-100k-previous": lambda: shortlist_scenario(100_000, 300, previous=True),
    "assign-5000x20000": lambda: assignment_scenario(5_000, 20_000, 5, previous=False),
    "assign-5000x20000-previous": lambda: assignment_scenario(5_000, 20_000, 5, previous=True),
    "assign-5000x2000": lambda: assignment_scenario(5_000, 2_000, 3, previous=False),
    "assign-5000x2000-previous": lambda: assignment_scenario(5_000, 2_000, 3, previous=True),
}
ONCE = {
    "check-5000x20000": lambda: check_scenario(5_000, 20_000, 5),
    "check-5000x2000": lambda: check_scenario(5_000, 2_000, 3),
    "munkres-150x300": lambda: munkres_scenario(150, 300),
    "munkres-1000x2000": lambda: munkres_scenario(1_000, 2_000),
}
SCENARIOS = {**TIMED, **ONCE}
SPREAD = ("p95_ms", "p50_ms", "cpu_p95_ms", "total_s", "scoring_s", "solve_s", "cpu_s", "peak_mb")


def _run(name: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--scenario", name], check=True, capture_output=True, text=True
    ).stdout
    found: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return found


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=SCENARIOS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, default=list(SCENARIOS))
    arguments = parser.parse_args()
    if arguments.scenario:
        print(json.dumps(SCENARIOS[arguments.scenario]()))
        return
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}; load {_load()}"
    )
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in arguments.only}
    for _round in range(arguments.repeat):
        for name in arguments.only:
            if name in TIMED or not runs[name]:
                runs[name].append(_run(name))
                print(name, json.dumps(runs[name][-1]), f"(load {_load()})", flush=True)
    for name, found in runs.items():
        spread = {
            key: [run[key] for run in found if key in run] for key in SPREAD if len(found) > 1
        }
        for key, values in spread.items():
            if not values:
                continue
            print(
                f"{name} {key}: min {min(values)}, median {statistics.median(values)}, max {max(values)}"
            )
    print(f"load at the end {_load()}")


if __name__ == "__main__":
    main()
