"""Every app's periodic jobs, registered with huey; and the task that retries one item now.

The huey consumer imports each app's `tasks` module (djhuey's autodiscovery); importing this
one registers one periodic task a job, named after the job, on the job's schedule.
"""

from collections.abc import Callable
from typing import Any

from django.tasks import task
from huey.contrib.djhuey import db_periodic_task

from alongside.core.periodic import Job
from alongside.periodic import registry, runner


def _run(job: Job) -> Callable[[], None]:
    def run() -> None:
        runner.run_job(job)

    run.__name__ = run.__qualname__ = job.name
    return run


PERIODIC_TASKS: dict[str, Any] = {
    job.name: db_periodic_task(job.schedule, name=job.name)(_run(job))
    for job in registry.all_jobs()
}


@task
def retry_item(job_name: str, item_pk: int) -> None:
    runner.run_item(registry.job_named(job_name), item_pk)
