"""Done when: /health/ready turns unhealthy within a minute when the worker stops.

A real `manage.py run_huey`, with its scheduler, as `make run` starts it: the scheduler queues
the heartbeat as it starts and the worker runs it. Once the worker is killed nothing beats any
more, so a minute on the heartbeat is too old. The worker shares the suite's test database and
takes its tasks from a huey queue in a temporary file (alongside/notifications/tests/worker.py).
"""

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine
from django.conf import settings

from alongside.health.readiness import readiness
from alongside.health.services import last_heartbeat
from alongside.notifications.tests.worker import database_url, tasks_queued_in, wait_for


def worker_check(at: dt.datetime | None = None) -> dict[str, object]:
    check = next(check for check in readiness(now=at).checks if check.name == "worker")
    return {"ok": check.ok, **check.details}


@pytest.fixture
def worker(transactional_db: None, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    huey_file = tmp_path / "huey.sqlite3"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.notifications.tests.worker_settings",
        "ALONGSIDE_TESTING": "true",
        "DATABASE_URL": database_url(),
        "HUEY_FILE": str(huey_file),
        "HUEY_IMMEDIATE": "false",
        "HUEY_WORKERS": "1",
    }
    with tasks_queued_in(huey_file), (tmp_path / "worker.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "run_huey", "-d", "0.05", "-m", "0.2"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def test_a_worker_beats_as_it_starts_and_a_minute_after_it_stops_ready_fails(
    worker: subprocess.Popen[bytes],
) -> None:
    assert worker_check()["ok"] is False  # no worker has beaten yet

    wait_for(lambda: last_heartbeat() is not None, "the worker's first heartbeat", 90)
    first = last_heartbeat()
    assert first is not None
    # The beat queued for 15 seconds on runs too, without the scheduler's next minute.
    wait_for(lambda: last_heartbeat() != first, "the heartbeat 15 seconds on", 40)
    between = last_heartbeat()
    beating = worker_check()
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=30)
    stopped_at = dt.datetime.now(dt.UTC)
    last = last_heartbeat()
    assert last is not None
    with time_machine.travel(last + dt.timedelta(seconds=61), tick=False):
        a_minute_on = worker_check()

    assert between is not None
    assert dt.timedelta(seconds=14) <= between - first < dt.timedelta(seconds=30)
    assert beating["ok"] is True
    assert last <= stopped_at
    assert a_minute_on == {"ok": False, "heartbeat_age_seconds": 61, "limit_seconds": 60}
