"""A backlog goes on in runs queued one after another, each short, until nothing is due."""

import datetime as dt
from collections.abc import Sequence
from unittest.mock import patch

import pytest
from huey import crontab

from alongside.core.audit import record_event
from alongside.core.models import AuditEvent
from alongside.core.periodic import Job
from alongside.periodic import tasks
from alongside.programs.models import Program


def _touch(program_ids: Sequence[int], now: dt.datetime) -> int:
    """Marks each program as done, so that it is no longer due."""
    for program_id in program_ids:
        record_event(actor=None, action="test.job.touched", target=Program(pk=program_id))
    Program.objects.filter(pk__in=program_ids).update(is_active=False)
    return len(program_ids)


def _job(handle_batch=_touch) -> Job:
    return Job(
        name="touch_active_programs",
        schedule=crontab(minute="*"),
        every="every minute",
        description="Touch every active program once.",
        due=lambda now: Program.objects.filter(is_active=True).order_by("pk"),
        handle=lambda program_id, now: handle_batch([program_id], now),
        handle_batch=handle_batch,
    )


@pytest.fixture
def backlog(db, settings, monkeypatch) -> list[Program]:
    settings.PERIODIC_RUN_SECONDS = 0  # every run stops after its first batch
    monkeypatch.setattr("alongside.periodic.runner.BATCH_SIZE", 40)
    return Program.objects.bulk_create(
        Program(name=f"Program {number}", slug=f"program-{number}") for number in range(100)
    )


QUEUED_TASK = tasks.continue_job


class Queue:
    """The worker's queue: what `continue_job` was given, worked in turn (as huey would)."""

    def __init__(self) -> None:
        self.queued: list[tuple[str, int]] = []

    def enqueue(self, job_name: str, runs_before: int) -> None:
        self.queued.append((job_name, runs_before))

    def work(self) -> None:
        done = 0
        while done < len(self.queued):
            QUEUED_TASK.call(*self.queued[done])
            done += 1


def test_a_backlog_goes_on_in_runs_queued_one_after_another_until_none_is_due(backlog, monkeypatch):
    job, queue = _job(), Queue()
    monkeypatch.setattr(tasks, "continue_job", queue)

    with patch("alongside.periodic.registry.job_named", return_value=job):
        tasks.run_and_go_on(job)
        assert Program.objects.filter(is_active=True).count() == 60  # one run, then queued
        queue.work()

    assert not Program.objects.filter(is_active=True).exists()
    assert AuditEvent.objects.filter(action="test.job.touched").count() == 100
    assert queue.queued == [(job.name, 1), (job.name, 2)]


def test_a_run_that_changed_nothing_queues_no_next_run(backlog, monkeypatch):
    job = _job(handle_batch=lambda program_ids, now: 0)  # due for ever, a bug

    queue = Queue()
    monkeypatch.setattr(tasks, "continue_job", queue)

    tasks.run_and_go_on(job)

    assert queue.queued == []


def test_a_chain_of_runs_stops_at_its_cap(backlog, monkeypatch):
    job, queue = _job(), Queue()
    monkeypatch.setattr(tasks, "continue_job", queue)

    tasks.run_and_go_on(job, runs_before=tasks.MOST_RUNS_IN_A_ROW - 1)

    assert queue.queued == []
    assert Program.objects.filter(is_active=True).count() == 60
