"""What periodic adds to /health/metrics at each scrape: each job's last run (how long it took,
what it did, what failed) and its failing items, read from JobRun and ItemFailure when
Prometheus asks (docs/adr/0011). Whichever worker ran a job, every app server shows the same."""

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from alongside.periodic.models import ItemFailure, JobRun
from alongside.periodic.registry import all_jobs


def job_runs() -> Iterator[Metric]:
    """Labelled by the registered jobs' names only, so the label set stays bounded."""
    names = [job.name for job in all_jobs()]
    runs = {run.job: run for run in JobRun.objects.filter(job__in=names)}
    failing = dict(
        ItemFailure.objects.filter(job__in=names)
        .order_by()
        .values("job")
        .annotate(count=Count("pk"))
        .values_list("job", "count")
    )
    seconds = _gauge("last_run_seconds", "How long the job's last finished run took.")
    finished = _gauge("last_finished_timestamp_seconds", "When the job's last run finished.")
    running = _gauge("running", "1 while the job's last run has not finished.")
    done = _gauge("last_run_items_done", "Items the job's last run handled.")
    failed = _gauge("last_run_items_failed", "Items that failed in the job's last run.")
    backed_off = _gauge("failing_items", "The job's items failing now, backed off until retried.")
    for name in names:
        backed_off.add_metric([name], failing.get(name, 0))
        run = runs.get(name)
        if run is None:
            continue
        running.add_metric([name], 1 if run.finished_at is None else 0)
        if run.finished_at is not None:
            seconds.add_metric([name], (run.finished_at - run.started_at).total_seconds())
            finished.add_metric([name], run.finished_at.timestamp())
            done.add_metric([name], run.items_done)
            failed.add_metric([name], run.items_failed)
    yield from (seconds, finished, running, done, failed, backed_off)


def _gauge(name: str, documentation: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"alongside_periodic_job_{name}", documentation, labels=["job"])
