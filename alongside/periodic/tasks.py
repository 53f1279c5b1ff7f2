"""Every app's periodic jobs, registered with huey; the task that goes on with a job's backlog;
and the task that retries one item now.

The huey consumer imports each app's `tasks` module (djhuey's autodiscovery); importing this
one registers one periodic task a job, named after the job, on the job's schedule. Every
worker's scheduler queues it; the first copy to claim its tick runs the job (ticks.py).
"""

from collections.abc import Callable
from typing import Any

from django.tasks import task
from django.utils import timezone
from huey.contrib.djhuey import db_periodic_task

from alongside.core.periodic import Job
from alongside.periodic import registry, runner, ticks

# A backlog of 100,000 items at most, in runs of 250 (a due query that never empties, a bug,
# must not keep a worker busy for ever: the next scheduled run starts a new chain).
MOST_RUNS_IN_A_ROW = 400


def run_and_go_on(job: Job, *, runs_before: int = 0) -> None:
    """One run of the job; when it stopped on its time with items still due, and did
    something, the next run is queued at once (behind what already waits for the worker)."""
    summary = runner.run_job(job)
    if summary.more and summary.changed and runs_before + 1 < MOST_RUNS_IN_A_ROW:
        continue_job.enqueue(job.name, runs_before + 1)


@task
def continue_job(job_name: str, runs_before: int) -> None:
    run_and_go_on(registry.job_named(job_name), runs_before=runs_before)


def _run(job: Job) -> Callable[[], None]:
    def run() -> None:
        # Every worker's scheduler queues the job: only the first to claim the tick runs it.
        if ticks.claim_tick(job, ticks.tick_of(job, timezone.now())):
            run_and_go_on(job)

    run.__name__ = run.__qualname__ = job.name
    return run


PERIODIC_TASKS: dict[str, Any] = {
    job.name: db_periodic_task(job.schedule, name=job.name)(_run(job))
    for job in registry.all_jobs()
}


@task
def retry_item(job_name: str, item_pk: int) -> None:
    runner.run_item(registry.job_named(job_name), item_pk)
