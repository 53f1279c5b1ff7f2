"""One run of each periodic job a scheduled minute, however many workers' schedulers queue it."""

import datetime as dt
import threading

import time_machine
from django.db import connection
from huey import crontab
from huey.contrib.djhuey import HUEY

from alongside.core.periodic import Job, whole_run
from alongside.periodic.models import JobRun
from alongside.periodic.runner import run_job
from alongside.periodic.ticks import claim_tick, tick_of

NOON = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


def job_on(schedule: crontab, name: str = "count_something") -> Job:
    return Job(
        name=name,
        schedule=schedule,
        every="",
        description="",
        due=whole_run,
        handle=lambda item, now: 1,
    )


def test_a_tick_is_the_latest_minute_of_the_schedule_at_or_before_the_run():
    every_five = job_on(crontab(minute="*/5"))
    daily = job_on(crontab(minute="15", hour="6"))

    assert tick_of(every_five, NOON + dt.timedelta(minutes=7, seconds=30)) == NOON.replace(minute=5)
    assert tick_of(every_five, NOON + dt.timedelta(seconds=59)) == NOON
    assert tick_of(daily, NOON) == NOON.replace(hour=6, minute=15)
    assert tick_of(daily, NOON.replace(hour=6, minute=14)) == NOON.replace(day=1, hour=6, minute=15)


def test_only_the_first_claim_of_a_tick_wins_and_an_older_tick_never_runs_after_a_newer(db):
    job = job_on(crontab(minute="*"))

    first = claim_tick(job, NOON)
    again = claim_tick(job, NOON)
    next_minute = claim_tick(job, NOON + dt.timedelta(minutes=1))
    late_copy_of_noon = claim_tick(job, NOON)

    assert (first, again, next_minute, late_copy_of_noon) == (True, False, True, False)
    assert JobRun.objects.get(job=job.name).tick == NOON + dt.timedelta(minutes=1)


def test_a_job_run_by_hand_before_is_claimed_by_its_next_tick(db):
    job = job_on(crontab(minute="*"))
    run_job(job)  # an administrator's or a test's run: no tick

    assert claim_tick(job, NOON) is True
    assert claim_tick(job, NOON) is False


def test_of_workers_claiming_one_tick_at_once_exactly_one_wins(transactional_db):
    job = job_on(crontab(minute="*"))
    start = threading.Barrier(6)
    won: list[bool] = []

    def claim() -> None:
        try:
            start.wait()
            won.append(claim_tick(job, NOON))
        finally:
            connection.close()

    threads = [threading.Thread(target=claim) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(won) == [False] * 5 + [True]


def test_two_schedulers_queueing_a_job_in_one_minute_run_it_once_and_again_the_next_minute(db):
    def queued_sweep(at: dt.datetime) -> object:
        return next(task for task in HUEY.read_periodic(at) if task.name == "sweep_outbox")

    def run_at(moment: dt.datetime) -> dt.datetime:
        with time_machine.travel(moment, tick=False):
            HUEY.execute(queued_sweep(moment))
        return JobRun.objects.get(job="sweep_outbox").started_at

    first_worker = run_at(NOON + dt.timedelta(seconds=10))
    second_worker = run_at(NOON + dt.timedelta(seconds=40))
    next_minute = run_at(NOON + dt.timedelta(minutes=1, seconds=5))

    assert first_worker == second_worker == NOON + dt.timedelta(seconds=10)
    assert next_minute == NOON + dt.timedelta(minutes=1, seconds=5)
    assert JobRun.objects.get(job="sweep_outbox").tick == NOON + dt.timedelta(minutes=1)
