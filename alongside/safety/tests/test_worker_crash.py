"""Done when: killing a real worker in the middle of sending loses nothing, and sends nothing twice.

The worker is a real `manage.py run_huey` process. It shares the suite's test database (a file
with SQLite, a server with PostgreSQL, so this runs in both CI jobs) and takes its tasks from a
huey queue in a temporary file, which this test fills. Waiting for another process is the one
place these tests poll, briefly.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.services import (
    STUCK_SENDING_AFTER,
    queue_message,
    requeue_overdue_messages,
)

MESSAGES = 20
HANG_ON = "message 07"


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}.")
        time.sleep(0.05)


def database_url() -> str:
    """The suite's own test database, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def huey_file(tmp_path: Path) -> Iterator[Path]:
    """Tasks queued by this process go to a huey file a worker can read, not run in-process."""
    path = tmp_path / "huey.sqlite3"
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(path))
    yield path
    HUEY.immediate = True


@pytest.fixture
def worker_env(tmp_path: Path, huey_file: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.safety.tests.worker_settings",
        "ALONGSIDE_TESTING": "true",
        "DATABASE_URL": database_url(),
        "HUEY_FILE": str(huey_file),
        "HUEY_IMMEDIATE": "false",
        "HUEY_WORKERS": "1",
        "SMS_BACKEND": "alongside.safety.tests.fakes.SlowSmsBackend",
        "SLOW_SMS_LOG": str(tmp_path / "sent.log"),
        "SLOW_SMS_HANG_ON": HANG_ON,
    }


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_huey", "--no-periodic", "-d", "0.05", "-m", "0.2"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def count(status: MessageStatus) -> int:
    return OutboxMessage.objects.filter(status=status).count()


@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_send_loses_no_message_and_sends_none_twice(
    worker_env: dict[str, str],
) -> None:
    sent_log = Path(worker_env["SLOW_SMS_LOG"])
    for number in range(MESSAGES):
        queue_message(
            channel=Channel.SMS,
            to_address="+14165550100",
            subject="",
            body=f"message {number:02d}",
            idempotency_key=f"crash-test:{number}",
        )

    worker = start_worker(worker_env)
    try:
        wait_for(Path(f"{sent_log}.hanging").exists, "the worker to start sending message 07")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert count(MessageStatus.SENDING) == 1  # it died holding message 07
    assert count(MessageStatus.SENT) == 7
    assert HANG_ON not in sent_log.read_text()

    # Time passes: the sweep finds the message claimed too long ago and queues it again.
    OutboxMessage.objects.filter(status=MessageStatus.SENDING).update(
        claimed_at=F("claimed_at") - STUCK_SENDING_AFTER
    )
    requeue_overdue_messages()
    worker_env["SLOW_SMS_HANG_ON"] = ""
    worker = start_worker(worker_env)
    try:
        wait_for(lambda: count(MessageStatus.SENT) == MESSAGES, "every message to be sent")
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)

    sent = Counter(sent_log.read_text().splitlines())
    assert sent == Counter(f"message {number:02d}" for number in range(MESSAGES))
