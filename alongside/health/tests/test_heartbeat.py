"""The heartbeat the workers run: every minute from the scheduler, and three beats between."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from huey.contrib.djhuey import HUEY

from alongside.health import services, tasks

NOON = dt.datetime(2026, 3, 2, 12, 0, 7, tzinfo=dt.UTC)


@pytest.fixture
def empty_schedule() -> Iterator[None]:
    HUEY.storage.flush_schedule()
    yield
    HUEY.storage.flush_schedule()


def test_the_heartbeat_runs_every_minute() -> None:
    periodic = {task.name: task for task in HUEY._registry.periodic_tasks}

    assert "worker_heartbeat" in periodic
    every_minute = [NOON + dt.timedelta(minutes=minute) for minute in range(0, 180, 7)]
    assert all(periodic["worker_heartbeat"].validate_datetime(moment) for moment in every_minute)


@pytest.mark.usefixtures("empty_schedule")
def test_a_heartbeat_beats_now_and_queues_beats_15_30_and_45_seconds_on(
    db: None, django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[Any]]
) -> None:
    with time_machine.travel(NOON, tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.heartbeat.call_local()

    assert services.last_heartbeat() == NOON
    later = sorted(task.eta.replace(tzinfo=dt.UTC) for task in HUEY.scheduled())
    assert later == [NOON + dt.timedelta(seconds=seconds) for seconds in (15, 30, 45)]


def test_a_beat_moves_the_heartbeat_on(db: None) -> None:
    services.record_heartbeat(at=NOON - dt.timedelta(minutes=5))

    with time_machine.travel(NOON, tick=False):
        tasks.beat.call()

    assert services.last_heartbeat() == NOON


def test_there_is_no_heartbeat_until_a_worker_beats(db: None) -> None:
    assert services.last_heartbeat() is None
