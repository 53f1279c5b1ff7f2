"""Match everyone waiting, end to end in the worker: 2,000 waiting against 10,000 supporters.

Run from the project folder:
    .venv/bin/python bench/bench_run.py                    # builds var/bench_run.sqlite3, runs
    .venv/bin/python bench/bench_run.py --reuse            # runs on the database built before
    .venv/bin/python bench/bench_run.py --program SLUG     # on a program already there (such as
                                                           # one of manage.py generate_province)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_bench .venv/bin/python \
        bench/bench_run.py --supporters 10000 --waiting 2000

Three steps, each in its own process (so the run's peak memory, max RSS, is its own):

1. build (unless --reuse): one program with the default pipeline, its supporters through the
   readiness gate (every step passed, a cleared check, every training; so valid as the services
   would make them) and its waiting requests, written with bulk_create; varied languages, ways
   of contact, experiences, genders, ages, regions, availability and places.
2. reference: the program as the run will find it (the drafts of earlier runs removed): every
   feasible pair (`candidates_for(..., capped=False)`) and the optimum of the independent
   solver (`bench/independent.py`) on them: (matched, urgency in hundredths, total score in
   thousandths).
3. run: a fresh process does what the huey worker does, `runs.run_matching(run_id)`, from a
   cold snapshot: wall time, CPU time, peak RSS, queries; then the drafts' three sums, their
   pairs' scores read from the reference's pairs, compared with the independent optimum.

Time is frozen at the same instant in steps 2 and 3 (time-machine), so urgency is the same.
Each step prints one JSON line; bench/RESULTS.md records runs.
"""

import argparse
import json
import os
import platform
import random
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_run.sqlite3'}")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import time_machine  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

# One instant for every step (urgency grows by the second): the parent's, passed down.
NOW = datetime.fromisoformat(
    os.environ.setdefault("BENCH_RUN_NOW", datetime.now(UTC).replace(microsecond=0).isoformat())
)
SLUG = "bench-run"
REFERENCE = ROOT / "var" / "bench_run_reference.npz"
LANGUAGES = ["en", "en", "en", "en", "fr", "fr", "es", "zh", "pa", "ar"]
METHODS = ["phone", "video", "email", "text", "in_person"]
GENDERS = ["woman", "woman", "man", "man", "non_binary", ""]
REGIONS = ["Toronto", "Ottawa", "Hamilton", "Sudbury", "Kingston", "London", "Windsor"]
PARTS = [
    f"{days}_{part}"
    for days in ("weekday", "weekend")
    for part in ("morning", "afternoon", "evening")
]


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _windows(rng: random.Random) -> list[dict[str, object]]:
    hours = [("09:00", "12:00"), ("12:00", "17:00"), ("17:00", "21:00")]
    return [
        {"day": day, "start": start, "end": end}
        for day in rng.sample(range(7), rng.randint(2, 5))
        for start, end in rng.sample(hours, rng.randint(1, 2))
    ]


def build(supporters: int, waiting: int, seed: int) -> dict[str, object]:
    started = time.perf_counter()
    if connection.vendor == "sqlite":
        connection.close()
        Path(connection.settings_dict["NAME"]).unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    with time_machine.travel(NOW, tick=False):
        program, experiences = _program()
        _supporters(program, experiences, supporters, random.Random(seed))
        _requests(program, experiences, waiting, random.Random(seed + 1))
    return {
        "step": "build",
        "supporters": supporters,
        "waiting": waiting,
        "s": round(time.perf_counter() - started, 1),
    }


def _program():
    from alongside.programs.factories import ExperienceFactory, ProgramFactory
    from alongside.supporters.services.pipeline import create_default_pipeline

    experiences = [ExperienceFactory(slug=f"bench-{number}") for number in range(8)]
    program = ProgramFactory(slug=SLUG, name="Bench run", experiences=experiences)
    create_default_pipeline(program=program, created_by=None)
    return program, experiences


def _supporters(program, experiences, count: int, rng: random.Random) -> None:
    from django.contrib.auth.hashers import make_password

    from alongside.accounts.models import User
    from alongside.core.calendar import add_months
    from alongside.programs.models import StepKind
    from alongside.supporters import models as supporting

    unusable = make_password(None)  # supporters here never sign in
    users = User.objects.bulk_create(
        [
            User(
                email=f"supporter{number}@bench.example",
                first_name=f"Helper{number}",
                password=unusable,
            )
            for number in range(count)
        ],
        batch_size=2000,
    )
    people = supporting.Supporter.objects.bulk_create(
        [
            supporting.Supporter(
                program=program,
                user=user,
                status=supporting.SupporterStatus.ACTIVE,
                languages=sorted({"en" if rng.random() < 0.8 else "fr", rng.choice(LANGUAGES)}),
                contact_methods=rng.sample(METHODS, rng.randint(2, 4)),
                region=rng.choice(REGIONS),
                time_zone="America/Toronto",
                gender=rng.choice(GENDERS),
                birth_year=rng.randint(1950, 2003),
                max_concurrent_matches=rng.randint(1, 3),
                availability=_windows(rng),
                supports_genders=[rng.choice(GENDERS[:4])] if rng.random() < 0.1 else [],
                commitment_starts_on=NOW.date() - timedelta(days=60),
                commitment_ends_on=NOW.date() + timedelta(days=300),
            )
            for user in users
        ],
        batch_size=2000,
    )
    supporting.LivedExperience.objects.bulk_create(
        [
            supporting.LivedExperience(
                supporter=person,
                experience=rng.choice(experiences),
                relationship=rng.choice(["self", "family", "colleague"]),
                since=NOW.date() - timedelta(days=rng.randint(200, 7000)),
            )
            for person in people
        ],
        batch_size=2000,
    )
    day = NOW.date()
    steps = list(program.pipeline_steps.all())
    records, checks = [], []
    for person in people:
        for step in steps:
            if step.kind == StepKind.BACKGROUND_CHECK:
                checks.append(
                    supporting.BackgroundCheck(
                        supporter=person,
                        kind=supporting.CheckKind.CRIMINAL_RECORD,
                        status=supporting.CheckStatus.CLEARED,
                        requested_on=day - timedelta(days=30),
                        cleared_on=day,
                        expires_on=add_months(day, 36),
                        recorded_at=NOW,
                    )
                )
            elif step.kind != StepKind.TRAINING:
                records.append(
                    supporting.StepRecord(
                        supporter=person,
                        step=step,
                        outcome=supporting.StepOutcome.PASSED,
                        recorded_at=NOW,
                    )
                )
    supporting.StepRecord.objects.bulk_create(records, batch_size=5000)
    supporting.BackgroundCheck.objects.bulk_create(checks, batch_size=5000)
    supporting.TrainingRecord.objects.bulk_create(
        [
            supporting.TrainingRecord(
                supporter=person,
                module=module,
                completed_on=day,
                recorded_at=NOW,
                expires_on=add_months(day, module.validity_months)
                if module.validity_months
                else None,
            )
            for person in people
            for module in program.training_modules.all()
        ],
        batch_size=5000,
    )


def _requests(program, experiences, count: int, rng: random.Random) -> None:
    from alongside.intake.factories import PeerFactory, SupportRequestFactory
    from alongside.intake.models import Peer, SupportRequest

    peers = Peer.objects.bulk_create(
        [PeerFactory.build(program=program, email=f"peer{n}@bench.example") for n in range(count)],
        batch_size=1000,
    )
    requests = []
    for peer in peers:
        received = NOW - timedelta(hours=rng.uniform(1, 24 * 12))
        requests.append(
            SupportRequestFactory.build(
                program=program,
                peer=peer,
                experience=rng.choice(experiences),
                relationship=rng.choice(["self", "family", "colleague"]),
                language="en" if rng.random() < 0.8 else rng.choice(LANGUAGES),
                contact_methods=rng.sample(METHODS, rng.randint(1, 3)),
                gender=rng.choice(GENDERS),
                birth_year=rng.randint(1950, 2005),
                wanted_gender=rng.choice(GENDERS) if rng.random() < 0.3 else "",
                wanted_gender_is_firm=rng.random() < 0.1,
                availability=rng.sample(PARTS, rng.randint(1, 3)),
                received_at=received,
                consent_given_at=received,
                due_at=received + timedelta(days=rng.choice([2, 5, 10])),
            )
        )
    SupportRequest.objects.bulk_create(requests, batch_size=1000)


def _program_row():
    from alongside.programs.models import Program

    return Program.objects.get(slug=os.environ.get("BENCH_RUN_PROGRAM", SLUG))


def reference() -> dict[str, object]:
    """Every feasible pair of the program as the run will find it, and the independent optimum."""
    import independent

    from alongside.matching.models import MatchingRun, Proposal
    from alongside.matching.pairs import candidates_for
    from alongside.matching.queries import settings_for, weights_of
    from alongside.matching.snapshot import current_load, needs_for, snapshot_for, waiting_requests

    program = _program_row()
    # A previous run's drafts hold places: the run must find the program as it was.
    earlier = MatchingRun.objects.filter(program=program)
    Proposal.objects.filter(
        program=program, batch__in=list(earlier.values_list("batch", flat=True))
    ).delete()
    earlier.delete()
    with time_machine.travel(NOW, tick=False):
        requests = list(waiting_requests(program))
        snapshot = snapshot_for(program)
        pool = snapshot.with_current_load(current_load(program.pk))
        program_settings = settings_for(program)
        needs = needs_for(
            requests,
            snapshot.vocabulary,
            exclude_same_site=program_settings.exclude_same_site,
            now=NOW,
        )
        every = candidates_for(pool, needs, weights_of(program_settings), capped=False)
    free = pool.free_places * pool.ready
    urgency = np.array([need.urgency for need in needs])
    arguments = {
        "request_count": len(requests),
        "capacity": free,
        "requests": every.requests,
        "supporters": every.supporters,
        "scores": every.scores,
        "priority": urgency,
    }
    started = time.perf_counter()
    found, method = independent.everyone_matched_optimum(**arguments), "LAPJVsp, everyone matched"
    if found is None:
        found, method = independent.lexicographic_optimum(**arguments), "HiGHS simplex"
    request_ids = np.array([one.pk for one in requests], dtype=np.int64)
    np.savez(
        REFERENCE,
        requests=request_ids[every.requests],
        supporters=pool.ids[every.supporters],
        scores=every.scores,
        urgency_of=request_ids,
        urgency=urgency,
    )
    return {
        "step": "reference",
        "waiting": len(requests),
        "supporters": len(pool),
        "ready": int(pool.ready.sum()),
        "places": int(free.sum()),
        "feasible_pairs": len(every.scores),
        "independent": dict(zip(("matched", "urgency", "total"), found, strict=True)),
        "method": method,
        "independent_s": round(time.perf_counter() - started, 1),
    }


def run() -> dict[str, object]:
    """What the worker does, from cold, measured; then its drafts beside the reference."""
    from alongside.accounts.models import User
    from alongside.matching import runs
    from alongside.matching.models import MatchingRun

    program = _program_row()
    coordinator, _new = User.objects.get_or_create(email="coordinator@bench.example")
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    stages = _timing_stages(runs)
    with time_machine.travel(NOW, tick=False):
        matching_run = MatchingRun.objects.create(program=program, started_by=coordinator)
        before_mb = peak_memory_mb()
        with connection.execute_wrapper(count):
            started, cpu_started = time.perf_counter(), time.process_time()
            runs.run_matching(matching_run.pk)
            wall_s, cpu_s = time.perf_counter() - started, time.process_time() - cpu_started
    peak_mb = peak_memory_mb()
    matching_run.refresh_from_db()
    return {
        "step": "run",
        "status": matching_run.status,
        "error": matching_run.error,
        "wall_s": round(wall_s, 2),
        "cpu_s": round(cpu_s, 2),
        "peak_mb": round(peak_mb),
        "mb_before_run": round(before_mb),
        "stages_s": {name: round(seconds, 2) for name, seconds in stages.items()},
        "queries": queries,
        "waiting": matching_run.waiting,
        "drafted": matching_run.drafted,
        "rounds": matching_run.rounds,
        "engine": _sums(matching_run),
    }


def _timing_stages(runs) -> dict[str, float]:
    """Wall time of the run's parts: the snapshot and the needs, the candidate pairs, the
    solve, the fresh check, the save."""
    spent: dict[str, float] = {}

    def timed(name, original):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started

        return wrapper

    runs._Problem.of = classmethod(
        timed("snapshot_and_needs", runs._Problem.__dict__["of"].__func__)
    )
    for name, attribute in (
        ("candidates", "candidates_for"),
        ("solve", "assign_optimal"),
        ("check", "check_pairs"),
        ("save", "_save"),
    ):
        setattr(runs, attribute, timed(name, getattr(runs, attribute)))
    return spent


def _sums(matching_run) -> dict[str, int]:
    """The drafts' (matched, urgency in hundredths, total score in thousandths), each pair's
    score as the reference scored it."""
    from alongside.matching.models import Proposal

    found = np.load(REFERENCE)
    score_of = {
        (int(r), int(s)): float(score)
        for r, s, score in zip(found["requests"], found["supporters"], found["scores"], strict=True)
    }
    urgency_of = dict(zip(found["urgency_of"].tolist(), found["urgency"].tolist(), strict=True))
    drafts = Proposal.objects.filter(batch=matching_run.batch).values_list(
        "request_id", "supporter_id"
    )
    pairs = list(drafts)
    missing = [pair for pair in pairs if pair not in score_of]
    return {
        "matched": len(pairs),
        "urgency": int(sum(round(min(max(urgency_of[r], 0), 1) * 100) for r, _s in pairs)),
        "total": int(sum(round(score_of.get(pair, 0) * 1000) for pair in pairs)),
        "not_feasible": len(missing),
    }


STEPS = {"build": None, "reference": reference, "run": run}


def _step(name: str, *extra: str) -> dict[str, object]:
    output = subprocess.run(
        [sys.executable, __file__, "--step", name, *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found: dict[str, object] = json.loads(output.strip().splitlines()[-1])
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--step", choices=STEPS)
    parser.add_argument("--supporters", type=int, default=10_000)
    parser.add_argument("--waiting", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="keep the database built before")
    parser.add_argument(
        "--program", help="run on this program of the database as it is (generate_province's)"
    )
    arguments = parser.parse_args()
    sizes = (
        "--supporters",
        str(arguments.supporters),
        "--waiting",
        str(arguments.waiting),
        "--seed",
        str(arguments.seed),
    )
    if arguments.step == "build":
        print(json.dumps(build(arguments.supporters, arguments.waiting, arguments.seed)))
        return
    if arguments.step:
        print(json.dumps(STEPS[arguments.step]()))
        return
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor}; load {load}",
        flush=True,
    )
    if arguments.program:
        os.environ["BENCH_RUN_PROGRAM"] = arguments.program
    elif not arguments.reuse:
        print(json.dumps(_step("build", *sizes)), flush=True)
    found = _step("reference")
    print(json.dumps(found), flush=True)
    measured = _step("run")
    print(json.dumps(measured), flush=True)
    engine = {key: measured["engine"][key] for key in ("matched", "urgency", "total")}
    print(
        json.dumps(
            {
                "equal": engine == found["independent"],
                "wall_s": measured["wall_s"],
                "peak_mb": measured["peak_mb"],
                "queries": measured["queries"],
            }
        )
    )


if __name__ == "__main__":
    main()
