"""Done when: an urgent e-mail whose worker is killed mid-send goes out again within the lease,
once more and with the same Message-ID; a slow send by a live worker is never taken over.

Real processes, as the finding had them: a `manage.py run_huey` worker killed with SIGKILL while
a real local SMTP server holds its DATA, then a second worker. The sweep runs every minute in
production; here the test runs it itself, as often as it likes (running it more changes nothing).
"""

import datetime as dt
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from alongside.notifications.channels import message_id_for
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.services import queue_message, requeue_overdue_messages
from alongside.notifications.tests.worker import (
    StallingSmtpHandler,
    Workers,
    database_url,
    smtp_server,
    tasks_queued_in,
    wait_for,
)

# Short enough for a test, long enough that a renewal late by a second on a busy machine holds.
LEASE_SECONDS = 3.0
LEASE = dt.timedelta(seconds=LEASE_SECONDS)
FROM_EMAIL = "Alongside <alerts@alongside.example>"
SUBJECT = "Urgent: escalation #41 needs you now"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp() -> Iterator[tuple[int, StallingSmtpHandler]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def workers(
    tmp_path: Path, smtp: tuple[int, StallingSmtpHandler], settings: Any
) -> Iterator[Workers]:
    port, _handler = smtp
    settings.DEFAULT_FROM_EMAIL = FROM_EMAIL  # for message_id_for() here
    huey_file = tmp_path / "huey.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "alongside.notifications.tests.worker_settings",
        "ALONGSIDE_TESTING": "true",
        "DATABASE_URL": database_url(),
        "HUEY_FILE": str(huey_file),
        "HUEY_IMMEDIATE": "false",
        "HUEY_WORKERS": "1",
        "HUEY_LOG_LEVEL": "INFO",  # the consumer says when it has started, and each task
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DEFAULT_FROM_EMAIL": FROM_EMAIL,
        "ALONGSIDE_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
    }
    started = Workers(env, log_dir=tmp_path)
    try:
        with tasks_queued_in(huey_file):
            yield started
    finally:
        started.stop_all()


def queue_urgent_email() -> OutboxMessage:
    return queue_message(
        channel=Channel.EMAIL,
        to_address="on.call@example.org",
        subject=SUBJECT,
        body="A supporter raised an urgent escalation. Please acknowledge it.",
        idempotency_key="safety.escalation:41:0:7:email",
    )


def reloaded(message: OutboxMessage) -> OutboxMessage:
    return OutboxMessage.objects.get(pk=message.pk)


def test_an_urgent_email_whose_worker_was_killed_mid_send_goes_out_again_within_the_lease(
    workers: Workers, smtp: tuple[int, StallingSmtpHandler]
) -> None:
    _port, server = smtp
    workers.start_ready(2)
    message = queue_urgent_email()
    workers.wait_for(server.stalled.is_set, "a worker to be in the middle of sending", 30)
    assert reloaded(message).status == MessageStatus.SENDING

    workers.kill(workers.executing_a_task())
    killed_at = time.monotonic()
    server.release.set()
    assert requeue_overdue_messages() == 0  # its lease has not run out yet

    def delivered_again() -> bool:
        requeue_overdue_messages()
        return reloaded(message).status == MessageStatus.SENT

    workers.wait_for(delivered_again, "the message to go out again", LEASE_SECONDS + 30)
    delay = time.monotonic() - killed_at
    wait_for(lambda: len(server.received) == 2, "the SMTP server to record the second copy")

    sent = reloaded(message)
    assert sent.attempts == 2
    # The lease, and the time the test's sweep and the second worker take to poll and send.
    assert LEASE_SECONDS / 2 < delay < LEASE_SECONDS + 3, f"sent {delay:.1f} s after the crash"
    # The copy in flight at the crash, and one more after it; a receiver sees they are the same.
    assert [copy.held for copy in server.received] == [True, False]
    assert {copy.message_id for copy in server.received} == {message_id_for(sent)}
    assert {copy.subject for copy in server.received} == {SUBJECT}


def test_a_slow_send_by_a_live_worker_keeps_its_lease_and_is_not_taken_over(
    workers: Workers, smtp: tuple[int, StallingSmtpHandler]
) -> None:
    _port, server = smtp
    workers.start_ready(2)  # the other one would take the message over if it could
    message = queue_urgent_email()
    workers.wait_for(server.stalled.is_set, "a worker to be in the middle of sending", 30)
    claimed = reloaded(message)
    assert claimed.claimed_at is not None

    # Held for two and a half leases (the SMTP client's own timeout is 10 s), swept meanwhile.
    seen = []
    stalled_until = time.monotonic() + 2.5 * LEASE_SECONDS
    while time.monotonic() < stalled_until:
        taken_back = requeue_overdue_messages()
        being_sent = reloaded(message)
        seen.append((timezone.now(), taken_back, being_sent.status, being_sent.lease_expires_at))
        time.sleep(0.1)
    assert {(taken, status) for _at, taken, status, _lease in seen} == {
        (0, MessageStatus.SENDING)
    }, seen
    leases = [lease for _at, _taken, _status, lease in seen]
    # The send outlasted its first lease twice over, and the heartbeat kept it.
    assert timezone.now() > claimed.claimed_at + 2 * LEASE
    assert len(set(leases)) >= 4, seen

    server.release.set()
    workers.wait_for(
        lambda: reloaded(message).status == MessageStatus.SENT, "the slow send to finish", 30
    )
    sent = reloaded(message)
    assert sent.attempts == 1
    assert sent.lease_expires_at is None
    assert [copy.message_id for copy in server.received] == [message_id_for(sent)]
    assert [copy.held for copy in server.received] == [True]
    workers.executing_a_task()  # only one of them ever ran a task
