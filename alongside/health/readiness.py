"""Whether this installation can do its work now: what /health/ready answers.

Each check asks one thing a form post or a worker needs, and says yes or no with a few numbers:
the database answers; the caches answer (the shared one holds the public forms' throttle, so a
Redis that is down fails every public form); the task queue answers; a worker ran the heartbeat
task within HEALTH_HEARTBEAT_SECONDS; the outbox's messages are not piling up past their time,
and few were given up on in the last day. A check that raises fails with the error's type only:
an error's text can hold a host, a password or a person's address, and this page is public.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alongside.health.services import last_heartbeat
from alongside.notifications.queries import given_up_message_count, overdue_message_count

# A message this long past its time is overdue: the sweep re-sends what is due every minute.
OVERDUE_AFTER = dt.timedelta(minutes=5)
GIVEN_UP_WITHIN = dt.timedelta(days=1)
PROBE_KEY = "health:probe"

type Details = dict[str, int | bool | str]


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    details: Details = field(default_factory=dict)


@dataclass(frozen=True)
class Readiness:
    checks: list[Check]

    @property
    def ok(self) -> bool:
        return all(check.ok for check in self.checks)

    @property
    def failing(self) -> list[str]:
        return [check.name for check in self.checks if not check.ok]

    def as_json(self) -> dict[str, object]:
        return {
            "status": "ok" if self.ok else "failing",
            "failing": self.failing,
            "checks": {check.name: {"ok": check.ok, **check.details} for check in self.checks},
        }


def readiness(*, now: dt.datetime | None = None) -> Readiness:
    """Every check, each on its own: one failing never hides another."""
    now = now or timezone.now()
    checks: list[tuple[str, Callable[[dt.datetime], tuple[bool, Details]]]] = [
        ("database", database),
        ("cache", cache),
        ("queue", queue),
        ("worker", worker),
        ("outbox", outbox),
        ("given_up_messages", given_up_messages),
    ]
    return Readiness([_run(name, check, now) for name, check in checks])


def _run(
    name: str, check: Callable[[dt.datetime], tuple[bool, Details]], now: dt.datetime
) -> Check:
    try:
        ok, details = check(now)
    except Exception as error:  # the check fails; the page still answers
        return Check(name, ok=False, details={"error": type(error).__name__})
    return Check(name, ok=ok, details=details)


def database(_now: dt.datetime) -> tuple[bool, Details]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return True, {}


def cache(_now: dt.datetime) -> tuple[bool, Details]:
    for alias in ("default", "shared"):
        caches[alias].get(PROBE_KEY)
    return True, {}


def queue(_now: dt.datetime) -> tuple[bool, Details]:
    return True, {"waiting": int(HUEY.pending_count())}


def worker(now: dt.datetime) -> tuple[bool, Details]:
    if HUEY.immediate:  # tasks run in the web process itself: there is no worker to wait for
        return True, {"immediate": True}
    limit = settings.HEALTH_HEARTBEAT_SECONDS
    beat_at = last_heartbeat()
    if beat_at is None:
        return False, {"heartbeat": "never", "limit_seconds": limit}
    age = max(0, int((now - beat_at).total_seconds()))
    return age <= limit, {"heartbeat_age_seconds": age, "limit_seconds": limit}


def outbox(now: dt.datetime) -> tuple[bool, Details]:
    """Messages more than five minutes past their time, counted one past the limit at most."""
    limit = settings.HEALTH_OUTBOX_BACKLOG
    overdue = overdue_message_count(due_before=now - OVERDUE_AFTER, at_most=limit + 1)
    return overdue <= limit, {"overdue": overdue, "limit": limit}


def given_up_messages(now: dt.datetime) -> tuple[bool, Details]:
    """Messages given up on in about the last day, counted one past the limit at most."""
    limit = settings.HEALTH_GIVEN_UP_MESSAGES
    given_up = given_up_message_count(since=now - GIVEN_UP_WITHIN, at_most=limit + 1)
    return given_up <= limit, {"last_day": given_up, "limit": limit}
