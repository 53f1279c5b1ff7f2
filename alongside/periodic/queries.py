"""Reads for the administrators' page of background jobs."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from alongside.core.periodic import Job
from alongside.periodic.models import ItemFailure, JobRun
from alongside.periodic.registry import all_jobs

FAILURES_SHOWN = 50  # a job's most recent failing items on the page; the count says how many


@dataclass(frozen=True)
class JobOverview:
    job: Job
    last_run: JobRun | None
    failures: list[ItemFailure]
    failing: int  # how many items are failing, shown or not


def job_overviews() -> list[JobOverview]:
    """Each job with its last run and its most recently failed items, in three queries."""
    runs = {run.job: run for run in JobRun.objects.all()}
    counts = dict(
        ItemFailure.objects.values("job").annotate(count=Count("pk")).values_list("job", "count")
    )
    shown: dict[str, list[ItemFailure]] = {}
    recent = ItemFailure.objects.annotate(
        row=Window(RowNumber(), partition_by=F("job"), order_by=F("last_failed_at").desc())
    ).filter(row__lte=FAILURES_SHOWN)
    for failure in recent.order_by("job", "-last_failed_at", "pk"):
        shown.setdefault(failure.job, []).append(failure)
    return [
        JobOverview(
            job=job,
            last_run=runs.get(job.name),
            failures=shown.get(job.name, []),
            failing=counts.get(job.name, 0),
        )
        for job in all_jobs()
    ]
