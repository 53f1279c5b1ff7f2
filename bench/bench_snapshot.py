"""Snapshot benchmark: building one program's matching snapshot from cold, and applying one
supporter's change to it, beside the previous build (model objects), in the same run.

Run from the project folder:
    .venv/bin/python bench/bench_snapshot.py [--supporters 10000] [--runs 7] [--changes 100]
    .venv/bin/python bench/bench_snapshot.py --database-url postgres://postgres@127.0.0.1:5432/bench_snapshot
The database (SQLite under var/ by default) is migrated and filled with one program of valid
supporters (every one through the readiness gate) unless it already holds one of that size
(`--rebuild-data` fills it afresh). Each result is a JSON line; the first line names the machine
and its load. The results go to standard output; bench/RESULTS.md records runs.

- cold: `store.build`: `rows.read_rows` + `table.encode` (plain values: a few queries and the
  readiness gate set by set), the cyclic collector paused meanwhile; `rebuild`: the same, then stored in the shared cache (`store.rebuild`);
  `load`: a process without a copy reads the stored one (`store.current`).
- previous: `encoding.build_pool` over `encoding.program_supporters` (model objects, the path
  every process took before), which the fresh check of one pair still uses.
- change: one supporter's change logged (`store.log_change`: their row read afresh, appended
  under the lock), then applied by a process that holds a copy (`store.current`); one change in
  ten gives a supporter a new family of experience, so the matrices grow a column.
- unchanged: what a page pays when nothing changed (the head alone).
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=f"sqlite:///{ROOT / 'var' / 'bench_snapshot.sqlite3'}"
    )
    parser.add_argument("--supporters", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--rebuild-data", action="store_true")
    return parser.parse_args()


def _create_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    server = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if found.fetchone() is None:
            connection.execute(f'CREATE DATABASE "{name}"')


ARGUMENTS = _arguments()
if ARGUMENTS.database_url.startswith("postgres"):
    _create_postgres_database(ARGUMENTS.database_url)
os.environ["DATABASE_URL"] = ARGUMENTS.database_url
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from alongside.accounts.models import User  # noqa: E402
from alongside.matching.snapshot import build_pool, program_supporters, store  # noqa: E402
from alongside.programs.models import (  # noqa: E402
    Experience,
    PipelineStep,
    Program,
    Site,
    StepKind,
    TrainingModule,
)
from alongside.supporters.models import (  # noqa: E402
    BackgroundCheck,
    CheckStatus,
    LivedExperience,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.services.pipeline import create_default_pipeline  # noqa: E402

SLUG = "bench-snapshot"
ROLES = ["nurse", "physician", "paramedic", "social worker", "pharmacist", "", "", "clerk"]
ZONES = ["America/Toronto", "America/Vancouver", "America/Halifax", ""]
LANGUAGES = [["en"], ["en"], ["en", "fr"], ["fr"]]
WINDOWS = [[], [{"day": day, "start": "18:00", "end": "21:00"} for day in range(5)]]


def _experiences() -> list[Experience]:
    found = []
    for number in range(12):
        experience, _created = Experience.objects.get_or_create(
            slug=f"bench-{number}", defaults={"name": f"Experience {number}", "category": "other"}
        )
        found.append(experience)
    allied, _created = Experience.objects.get_or_create(
        slug="bench-allied",
        defaults={"name": "Allied", "category": "other", "allied_to": found[0]},
    )
    return [*found, allied]


def _supporters(program: Program, size: int, chosen: random.Random) -> list[Supporter]:
    sites = [
        Site.objects.create(program=program, name=f"Site {n}", kind="clinic", region=f"R{n % 7}")
        for n in range(20)
    ]
    users = User.objects.bulk_create(
        User(email=f"bench.{program.pk}.{n}@snapshot.example", first_name=f"B{n}")
        for n in range(size)
    )
    return Supporter.objects.bulk_create(
        Supporter(
            program=program,
            user=user,
            status=SupporterStatus.ACTIVE,
            site=chosen.choice([*sites, None]),
            work_role=chosen.choice(ROLES),
            languages=chosen.choice(LANGUAGES),
            contact_methods=["phone", "email"],
            time_zone=chosen.choice(ZONES),
            birth_year=chosen.randint(1950, 2000),
            gender=chosen.choice(["woman", "man", ""]),
            availability=chosen.choice(WINDOWS),
            max_concurrent_matches=chosen.randint(1, 4),
            expected_hours_per_month=chosen.choice([None, 4, 8]),
        )
        for user in users
    )


def _make_program(size: int) -> Program:
    """One program of `size` supporters, each with experiences and every step, check and
    training current: all through the readiness gate."""
    chosen = random.Random(15)
    program = Program.objects.create(
        slug=SLUG, name="Bench snapshot", country="CA", subdivision="ON"
    )
    create_default_pipeline(program=program, created_by=None)
    supporters = _supporters(program, size, chosen)
    experiences = _experiences()
    LivedExperience.objects.bulk_create(
        LivedExperience(supporter=supporter, experience=experience, relationship=relationship)
        for supporter in supporters
        for experience, relationship in {
            (chosen.choice(experiences), chosen.choice(["self", "family", "colleague"]))
            for _n in range(chosen.randint(1, 3))
        }
    )
    now = timezone.now()
    today = timezone.localdate()
    steps = PipelineStep.objects.filter(program=program).exclude(
        kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING]
    )
    StepRecord.objects.bulk_create(
        StepRecord(supporter=supporter, step=step, outcome=StepOutcome.PASSED, recorded_at=now)
        for supporter in supporters
        for step in steps
    )
    BackgroundCheck.objects.bulk_create(
        BackgroundCheck(
            supporter=supporter,
            kind="criminal_record",
            status=CheckStatus.CLEARED,
            requested_on=today,
            expires_on=today.replace(year=today.year + 3),
            recorded_at=now,
        )
        for supporter in supporters
    )
    TrainingRecord.objects.bulk_create(
        TrainingRecord(supporter=supporter, module=module, completed_on=today, recorded_at=now)
        for supporter in supporters
        for module in TrainingModule.objects.filter(program=program)
    )
    if connection.vendor == "postgresql":  # as autovacuum would, before anyone reads them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return program


def _program(size: int, rebuild_data: bool) -> Program:
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    found = Program.objects.filter(slug=SLUG).first()
    if found is not None and (rebuild_data or found.supporters.count() != size):
        Program.objects.filter(pk=found.pk).update(slug=f"{SLUG}-old-{found.pk}")
        found = None
    return found or _make_program(size)


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def _summary(name: str, times: list[float], **extra: object) -> dict[str, object]:
    ordered = sorted(times)
    return {
        "scenario": name,
        "database": connection.vendor,
        "runs": len(times),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))] * 1000, 2),
        "load": _load(),
        **extra,
    }


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _changes(program: Program, count: int) -> tuple[list[float], list[float]]:
    """`count` supporters changed one at a time: the time to log each, and to apply it."""
    chosen = random.Random(16)
    ids = list(program.supporters.values_list("pk", flat=True))
    new_families = iter(
        Experience.objects.get_or_create(
            slug=f"bench-new-{number}-{time.time_ns()}",
            defaults={"name": "New", "category": "other"},
        )[0]
        for number in range(count)
    )
    logged, applied = [], []
    store.current(program.pk)
    for number in range(count):
        supporter_id = chosen.choice(ids)
        if number % 10 == 0:
            LivedExperience.objects.create(
                supporter_id=supporter_id, experience=next(new_families), relationship="self"
            )
        else:
            Supporter.objects.filter(pk=supporter_id).update(languages=chosen.choice(LANGUAGES))
        started = time.perf_counter()
        store.log_change(program, [supporter_id], timezone.now())
        logged.append(time.perf_counter() - started)
        applied += _timed(lambda: store.current(program.pk), 1)
    return logged, applied


def main() -> None:
    print(
        json.dumps(
            {
                "machine": f"{platform.machine()}, {os.cpu_count()} cores",
                "at": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
                "python": platform.python_version(),
                "numpy": np.__version__,
                "database": connection.vendor,
                "load": _load(),
            }
        ),
        flush=True,
    )
    size, runs = ARGUMENTS.supporters, ARGUMENTS.runs
    program = _program(size, ARGUMENTS.rebuild_data)
    now = timezone.now()
    cold = _timed(lambda: store.build(program, now), runs)
    print(json.dumps(_summary("cold", cold, supporters=size)), flush=True)
    previous = _timed(
        lambda: build_pool(program, program_supporters(program.pk), now=now), max(2, runs // 3)
    )
    print(json.dumps(_summary("cold-previous", previous, supporters=size)), flush=True)
    rebuild = _timed(lambda: store.rebuild(program, timezone.now()), runs)
    print(json.dumps(_summary("rebuild-and-store", rebuild, supporters=size)), flush=True)

    def load() -> None:
        store.forget_copies()
        store.current(program.pk)

    print(json.dumps(_summary("load-stored", _timed(load, runs), supporters=size)), flush=True)
    unchanged = _timed(lambda: store.current(program.pk), ARGUMENTS.changes)
    print(json.dumps(_summary("page-unchanged", unchanged, supporters=size)), flush=True)
    logged, applied = _changes(program, ARGUMENTS.changes)
    print(json.dumps(_summary("change-logged", logged, supporters=size)), flush=True)
    print(json.dumps(_summary("change-applied", applied, supporters=size)), flush=True)
    both = [first + second for first, second in zip(logged, applied, strict=True)]
    print(json.dumps(_summary("change", both, supporters=size)), flush=True)


if __name__ == "__main__":
    main()
