"""Done when: killing a real worker in the middle of sending loses nothing, and sends nothing twice.

The worker is a real `manage.py run_huey` process. It shares the suite's test database (a file
with SQLite, a server with PostgreSQL, so this runs in both CI jobs) and takes its tasks from a
huey queue in a temporary file, which this test fills. Waiting for another process is the one
place these tests poll, briefly.
"""

import datetime as dt
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db.models import F

from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.services import queue_message, requeue_overdue_messages
from alongside.notifications.tests.worker import (
    CONSUMER_OPTIONS,
    database_url,
    tasks_queued_in,
    wait_for,
)

MESSAGES = 20
HANG_ON = "message 07"


@pytest.fixture
def huey_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "huey.sqlite3"
    with tasks_queued_in(path):
        yield path


@pytest.fixture
def worker_env(tmp_path: Path, huey_file: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.notifications.tests.worker_settings",
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
        [sys.executable, "manage.py", "run_huey", *CONSUMER_OPTIONS],
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

    # Time passes: the dead worker's lease runs out, and the sweep queues its message again.
    OutboxMessage.objects.filter(status=MessageStatus.SENDING).update(
        lease_expires_at=F("lease_expires_at") - dt.timedelta(hours=1)
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
