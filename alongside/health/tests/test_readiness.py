"""/health/live and /health/ready: each dependency failing in turn, and what the answer holds.

The failures are made in this process (a cache or a database that raises, a heartbeat left to
age, messages piling up); test_probes_served.py asks a real server with a real Redis.
"""

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches
from django.db import OperationalError, connection
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from redis.exceptions import ConnectionError as RedisConnectionError

from alongside.health import services
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage

PERSONAL = "alice.tremblay@example.org"


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get(reverse("health_ready"))
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


@pytest.fixture
def with_a_worker() -> Iterator[None]:
    """Tasks go to workers (as outside the tests), so the heartbeat counts."""
    HUEY.immediate = False
    try:
        yield
    finally:
        HUEY.immediate = True


def message(key: str, *, status: MessageStatus, due: dt.datetime) -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address=PERSONAL,
        subject="Your match",
        body="Hello",
        idempotency_key=key,
        status=status,
        next_attempt_at=due,
    )


def raise_with_personal_data(*args: object, **kwargs: object) -> None:
    raise RedisConnectionError(f"Error 111 connecting for {PERSONAL}. Connection refused.")


# --- everything answers -------------------------------------------------------------------------


def test_ready_answers_200_naming_every_check_when_all_pass(db: None, client: Client) -> None:
    status, body = ready(client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {
        "database",
        "cache",
        "queue",
        "worker",
        "outbox",
        "given_up_messages",
    }
    assert all(check["ok"] for check in body["checks"].values())


def test_health_without_a_name_is_ready(db: None, client: Client) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert json.loads(response.content)["failing"] == []


def test_live_answers_even_when_the_database_does_not(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:  # undone before the test database is rolled back
        patch.setattr(connection, "cursor", raise_with_personal_data)
        response = client.get(reverse("health_live"))

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


# --- each dependency failing ----------------------------------------------------------------------


def test_a_database_that_fails_makes_ready_503_naming_it(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError(f"connection to server failed for {PERSONAL}")

    with monkeypatch.context() as patch:  # undone before the test database is rolled back
        patch.setattr(connection, "cursor", refuse)
        status, body = ready(client)

    assert status == 503
    assert "database" in body["failing"]
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_a_shared_cache_that_is_down_makes_ready_503_naming_only_the_cache(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caches["shared"], "get", raise_with_personal_data)

    status, body = ready(client)

    assert status == 503
    assert body["status"] == "failing"
    assert body["failing"] == ["cache"]
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}


def test_a_queue_that_cannot_be_read_makes_ready_503_naming_the_queue(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HUEY, "pending_count", raise_with_personal_data)

    status, body = ready(client)

    assert status == 503
    assert body["failing"] == ["queue"]


def test_the_queue_check_says_how_many_tasks_wait(db: None, client: Client) -> None:
    _status, body = ready(client)

    assert body["checks"]["queue"] == {"ok": True, "waiting": HUEY.pending_count()}


def test_an_error_names_only_its_type_never_its_text(
    db: None, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caches["shared"], "get", raise_with_personal_data)
    monkeypatch.setattr(HUEY, "pending_count", raise_with_personal_data)

    response = client.get(reverse("health_ready"))

    assert response.status_code == 503
    assert PERSONAL not in response.content.decode()
    assert "refused" not in response.content.decode()


# --- the worker's heartbeat ----------------------------------------------------------------------


@pytest.mark.usefixtures("with_a_worker")
def test_a_heartbeat_younger_than_a_minute_is_ready(db: None, client: Client) -> None:
    services.record_heartbeat(at=timezone.now() - dt.timedelta(seconds=40))

    status, body = ready(client)

    assert status == 200
    assert body["checks"]["worker"]["ok"] is True
    assert 40 <= body["checks"]["worker"]["heartbeat_age_seconds"] < 50


@pytest.mark.usefixtures("with_a_worker")
def test_a_heartbeat_older_than_a_minute_makes_ready_503_naming_the_worker(
    db: None, client: Client
) -> None:
    services.record_heartbeat(at=timezone.now() - dt.timedelta(seconds=61))

    status, body = ready(client)

    assert status == 503
    assert body["failing"] == ["worker"]
    assert body["checks"]["worker"]["limit_seconds"] == 60


@pytest.mark.usefixtures("with_a_worker")
def test_no_heartbeat_at_all_makes_ready_503(db: None, client: Client) -> None:
    status, body = ready(client)

    assert status == 503
    assert body["checks"]["worker"] == {"ok": False, "heartbeat": "never", "limit_seconds": 60}


@pytest.mark.usefixtures("with_a_worker")
@override_settings(HEALTH_HEARTBEAT_SECONDS=300)
def test_the_heartbeats_age_limit_is_a_setting(db: None, client: Client) -> None:
    services.record_heartbeat(at=timezone.now() - dt.timedelta(seconds=200))

    status, _body = ready(client)

    assert status == 200


def test_tasks_run_in_the_web_process_need_no_worker(db: None, client: Client) -> None:
    _status, body = ready(client)

    assert body["checks"]["worker"] == {"ok": True, "immediate": True}


# --- the outbox ---------------------------------------------------------------------------------


@override_settings(HEALTH_OUTBOX_BACKLOG=2)
def test_more_late_messages_than_the_limit_make_ready_503_naming_the_outbox(
    db: None, client: Client
) -> None:
    long_ago = timezone.now() - dt.timedelta(minutes=6)
    for number in range(3):
        message(f"late-{number}", status=MessageStatus.PENDING, due=long_ago)

    status, body = ready(client)

    assert status == 503
    assert body["failing"] == ["outbox"]
    assert body["checks"]["outbox"] == {"ok": False, "overdue": 3, "limit": 2}


@override_settings(HEALTH_OUTBOX_BACKLOG=2)
def test_messages_just_due_or_sent_are_no_backlog(db: None, client: Client) -> None:
    now = timezone.now()
    message("just-due", status=MessageStatus.PENDING, due=now - dt.timedelta(minutes=4))
    message("retrying-soon", status=MessageStatus.FAILED, due=now + dt.timedelta(minutes=1))
    message("failed-late", status=MessageStatus.FAILED, due=now - dt.timedelta(minutes=10))
    for number in range(3):
        message(f"sent-{number}", status=MessageStatus.SENT, due=now - dt.timedelta(hours=1))

    status, body = ready(client)

    assert status == 200
    assert body["checks"]["outbox"] == {"ok": True, "overdue": 1, "limit": 2}


@override_settings(HEALTH_OUTBOX_BACKLOG=2)
def test_the_backlog_is_counted_only_one_past_its_limit(db: None, client: Client) -> None:
    long_ago = timezone.now() - dt.timedelta(hours=1)
    for number in range(6):
        message(f"late-{number}", status=MessageStatus.PENDING, due=long_ago)

    _status, body = ready(client)

    assert body["checks"]["outbox"]["overdue"] == 3


@override_settings(HEALTH_GIVEN_UP_MESSAGES=1)
def test_more_messages_given_up_on_today_than_the_limit_make_ready_503(
    db: None, client: Client
) -> None:
    now = timezone.now()
    message("dead-1", status=MessageStatus.DEAD, due=now - dt.timedelta(hours=2))
    message("dead-2", status=MessageStatus.DEAD, due=now + dt.timedelta(minutes=30))

    status, body = ready(client)

    assert status == 503
    assert body["failing"] == ["given_up_messages"]
    assert body["checks"]["given_up_messages"] == {"ok": False, "last_day": 2, "limit": 1}


@override_settings(HEALTH_GIVEN_UP_MESSAGES=1)
def test_messages_given_up_on_days_ago_no_longer_count(db: None, client: Client) -> None:
    two_days_ago = timezone.now() - dt.timedelta(days=2)
    message("dead-1", status=MessageStatus.DEAD, due=two_days_ago)
    message("dead-2", status=MessageStatus.DEAD, due=two_days_ago)

    status, body = ready(client)

    assert status == 200
    assert body["checks"]["given_up_messages"]["last_day"] == 0
