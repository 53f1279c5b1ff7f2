"""Periodic jobs benchmark: each job run through the runner at a moment when much is due, in
batches and (as the peer) item by item; and queueing 5,000 messages, in bulk and one by one.

Run from the project folder, on a province built by `manage.py generate_province` (which, like
seed_demo, runs only with ALONGSIDE_DEMO=true: its accounts share the demo password):

    .venv/bin/python bench/bench_periodic.py --generate     # builds var/province.sqlite3 first
    .venv/bin/python bench/bench_periodic.py                # reuses it
    DATABASE_URL=postgres://... .venv/bin/python bench/bench_periodic.py   # a province there

Each run happens in a transaction rolled back afterwards, so every run (and the peer) starts
from the same world and the database can be reused. The deliveries a run queues are handed to
huey's storage (not immediate) before the rollback, then flushed, so their cost is counted.
The peer runs item by item on the first `--peer-items` due items only (it is slow); its time a
item is printed beside the batched one. A run takes no new batch after `--run-seconds` (1 s, as
in production): a backlog is then several runs, one after another, as the worker queues them;
"longest_run_s" is the longest, "s" all of them. One JSON line per measure; the load average with each.
"""

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'province.sqlite3'}")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("ALONGSIDE_TESTING", "true")
os.environ["HUEY_IMMEDIATE"] = "false"  # deliveries are queued, never sent, then flushed

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.urls import get_resolver  # noqa: E402
from django.utils import translation  # noqa: E402
from huey.contrib.djhuey import HUEY  # noqa: E402

from alongside.core.periodic import Job  # noqa: E402
from alongside.intake.models import SupportRequest  # noqa: E402
from alongside.matches import messages as match_messages  # noqa: E402
from alongside.notifications.models import Channel, OutboxMessage  # noqa: E402
from alongside.notifications.notify import CHANNEL, Notice, notify, notify_all  # noqa: E402
from alongside.periodic.registry import job_named  # noqa: E402
from alongside.periodic.runner import run_job  # noqa: E402
from alongside.supporters.models import Supporter, SupporterStatus, TrainingRecord  # noqa: E402

MESSAGES = 5_000


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


@contextmanager
def _counted() -> Iterator[list[int]]:
    """How many queries the block ran."""
    count = [0]

    def counter(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        yield count


def _run_on_commit_callbacks() -> None:
    """What would run at commit (queueing deliveries), run now: the block is rolled back."""
    while connection.run_on_commit:
        callbacks, connection.run_on_commit = connection.run_on_commit, []
        for _savepoints, callback, _robust in callbacks:
            callback()


def _rolled_back(measure: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    with transaction.atomic():
        found = measure()
        transaction.set_rollback(True)
    HUEY.flush()
    return found


def moments() -> dict[str, tuple[dt.datetime, Callable[[dt.datetime], None] | None]]:
    """For each job, a moment when much is due, and what to run (untimed) before it."""
    received = SupportRequest.objects.aggregate(last=Max("received_at"))["last"]
    assert received is not None, "No requests: build a province first (--generate)."
    month_end = (received.replace(day=1) + dt.timedelta(days=32)).replace(day=1, hour=12)
    expiries = TrainingRecord.objects.filter(expires_on__isnull=False).aggregate(
        first=Min("expires_on")
    )
    first_expiry = expiries["first"] or received.date()
    expiry_morning = dt.datetime.combine(first_expiry, dt.time(6, 15), tzinfo=UTC)
    away = Supporter.objects.filter(status=SupporterStatus.ON_BREAK).aggregate(
        last=Max("away_until")
    )
    back_day = (away["last"] or received.date()) + dt.timedelta(days=2)

    def open_reports(now: dt.datetime) -> None:
        run_job(job_named("open_monthly_hours_reports"), now=month_end)

    return {
        "check_time_to_match": (received + dt.timedelta(days=30), None),
        "open_monthly_hours_reports": (month_end, None),
        "remind_missing_hours_reports": (month_end + dt.timedelta(days=8), open_reports),
        "check_no_contact": (received + dt.timedelta(days=30), None),
        "expire_overdue_proposals": (received + dt.timedelta(days=10), None),
        "pause_on_expiry": (expiry_morning + dt.timedelta(days=60), None),
        "remind_before_expiry": (expiry_morning - dt.timedelta(days=5), None),
        "return_from_breaks_that_ended": (
            dt.datetime.combine(back_day, dt.time(6, 25), tzinfo=UTC),
            None,
        ),
        # Every supporter on their way read against the gate (the expiries of 60 days on).
        "keep_steps_current": (expiry_morning + dt.timedelta(days=60), None),
        "move_up_unacknowledged_escalations": (received + dt.timedelta(days=1), None),
        "sweep_outbox": (received, None),
    }


def measure_job(
    job: Job,
    now: dt.datetime,
    prepare: Callable[[dt.datetime], None] | None,
    *,
    batched: bool,
    limit: int | None = None,
) -> dict[str, Any]:
    def measure() -> dict[str, Any]:
        if prepare is not None:
            prepare(now)
            _run_on_commit_callbacks()  # the preparation's own, not timed
        messages_before = OutboxMessage.objects.count()
        run = replace(job, batch_size=limit) if limit else job
        runs: list[float] = []
        items = failed = changed = 0
        with _counted() as queries:
            while True:  # the runs a backlog takes, one after another (tasks.run_and_go_on)
                started = time.perf_counter()
                summary = run_job(run, now=now, batched=batched)
                _run_on_commit_callbacks()
                runs.append(time.perf_counter() - started)
                items += summary.done + summary.failed
                failed, changed = failed + summary.failed, changed + summary.changed
                if limit or not (summary.more and summary.changed):
                    break
        seconds = sum(runs)
        return {
            "s": round(seconds, 3),
            "runs": len(runs),
            "longest_run_s": round(max(runs), 3),
            "items": items,
            "failed": failed,
            "changed": changed,
            "messages": OutboxMessage.objects.count() - messages_before,
            "queries": queries[0],
            "ms_per_item": round(1000 * seconds / max(items, 1), 2),
        }

    return _rolled_back(measure)


INTERVALS = {  # each job's schedule, as its Job's crontab says
    "check_time_to_match": dt.timedelta(minutes=5),
    "open_monthly_hours_reports": dt.timedelta(hours=1),
    "remind_missing_hours_reports": dt.timedelta(hours=6),
    "check_no_contact": dt.timedelta(hours=1),
    "expire_overdue_proposals": dt.timedelta(minutes=5),
    "move_up_unacknowledged_escalations": dt.timedelta(minutes=1),
    "sweep_outbox": dt.timedelta(minutes=1),
}


def measure_steady(
    job: Job, now: dt.datetime, prepare: Callable[[dt.datetime], None] | None
) -> dict[str, Any]:
    """The job's next run after it has cleared the backlog at `now`: what a worker that keeps
    up pays each time (the due query over the whole province, and the few newly due)."""
    interval = INTERVALS.get(job.name, dt.timedelta(days=1))

    def backlog(moment: dt.datetime) -> None:
        if prepare is not None:
            prepare(now)
        run_job(job, now=now)

    return {
        "now": (now + interval).isoformat(),
        **measure_job(job, now + interval, backlog, batched=True),
    }


def _notices(count: int) -> list[Notice]:
    """One message each to `count` supporters, in their language, about a made-up report."""
    supporters = Supporter.objects.select_related("user", "program").order_by("pk")[:count]
    return [
        Notice(
            kind=match_messages.HOURS_REPORT_OPENED,
            recipients=[supporter.user],
            context={"month": dt.date(2030, 1, 1), "link": f"/bench/{supporter.pk}/"},
            idempotency_key=("bench.periodic", supporter.pk, CHANNEL),
            channels=[Channel.EMAIL],
            program=supporter.program,
        )
        for supporter in supporters
    ]


def measure_queueing(count: int, *, bulk: bool) -> dict[str, Any]:
    def measure() -> dict[str, Any]:
        notices = _notices(count)
        with _counted() as queries:
            started = time.perf_counter()
            if bulk:
                notify_all(notices)
            else:
                for notice in notices:
                    notify(**notice.__dict__)
            _run_on_commit_callbacks()
            seconds = time.perf_counter() - started
        return {
            "s": round(seconds, 3),
            "messages": count,
            "queries": queries[0],
            "ms_per_message": round(1000 * seconds / count, 3),
        }

    return _rolled_back(measure)


def _warm_up() -> None:
    """What the first run in a worker pays once: the URL patterns, each language's catalogue."""
    get_resolver().url_patterns  # noqa: B018 (imports every app's views)
    for language in ("en", "fr-ca"):
        with translation.override(language):
            str(match_messages.HOURS_REPORT_OPENED.subject)


def _say(name: str, found: dict[str, Any]) -> None:
    print(name, json.dumps(found), f"(load {_load()})", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--generate", action="store_true", help="build the province first")
    parser.add_argument("--peer-items", type=int, default=200, help="0: no item-by-item peer")
    parser.add_argument("--only", nargs="*", help="these jobs only")
    parser.add_argument(
        "--steady", action="store_true", help="also each job's next run after the backlog's"
    )
    parser.add_argument(
        "--run-seconds",
        type=float,
        default=1.0,
        help="a run takes no new batch after this long, as in production (0: each run whole)",
    )
    arguments = parser.parse_args()
    settings.PERIODIC_RUN_SECONDS = arguments.run_seconds or None
    if arguments.generate:
        if connection.vendor == "sqlite":  # a fresh file; on PostgreSQL, give an empty database
            Path(str(connection.settings_dict["NAME"])).unlink(missing_ok=True)
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)  # the snapshot's shared cache (checks)
        call_command("generate_province")
    print(
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {connection.vendor}; "
        f"{Supporter.objects.count()} supporters; load {_load()}"
    )
    _warm_up()
    for name, (now, prepare) in moments().items():
        if arguments.only and name not in arguments.only:
            continue
        job = job_named(name)
        _say(name, {"now": now.isoformat(), **measure_job(job, now, prepare, batched=True)})
        if arguments.peer_items and job.handle_batch is not None:
            peer = measure_job(job, now, prepare, batched=False, limit=arguments.peer_items)
            _say(f"{name}-item-by-item", peer)
        if arguments.steady:
            _say(f"{name}-steady", measure_steady(job, now, prepare))
    if not arguments.only or "queue" in arguments.only:
        _say(f"queue-{MESSAGES}", measure_queueing(MESSAGES, bulk=True))
        if arguments.peer_items:
            _say(
                f"queue-{arguments.peer_items}-one-by-one",
                measure_queueing(arguments.peer_items, bulk=False),
            )
    print(f"load at the end {_load()}")


if __name__ == "__main__":
    main()
