"""One run of each periodic job a scheduled minute, however many workers run the scheduler.

Every `run_huey` runs huey's scheduler, and each scheduler queues every job on its minutes; with
the queue in Redis, N workers queue each job N times a tick. The job's first task to run claims
the tick: it moves its job's `JobRun.tick` forward to the tick's minute with one conditional
UPDATE (the row's first INSERT, for a job that never ran, is guarded by the unique job name), in
its own transaction. The others find the tick taken and run nothing (ADR 0010).

A tick is the latest minute, at or before the task's run, on which the job's schedule falls: a
copy run a few seconds late, or behind a long task, still claims the tick it was queued for. A
worker killed in the middle of a run keeps its tick; what it left undone is still due, and the
job's next tick (or the `continue_job` already queued) takes it up.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from alongside.core.periodic import Job
from alongside.periodic.models import JobRun

logger = logging.getLogger(__name__)

# The rarest schedule is daily: a minute of it is found within a day back.
LONGEST_GAP = dt.timedelta(days=1)


def tick_of(job: Job, at: dt.datetime) -> dt.datetime:
    """The latest minute at or before `at` (UTC) on which the job is scheduled; `at`'s own minute
    when none falls within a day."""
    minute = at.astimezone(dt.UTC).replace(second=0, microsecond=0)
    earliest = minute - LONGEST_GAP
    candidate = minute
    while candidate > earliest:
        # huey's crontab reads the naive UTC time the consumer gives it (HUEY["utc"]).
        if job.schedule(candidate.replace(tzinfo=None)):
            return candidate
        candidate -= dt.timedelta(minutes=1)
    return minute


def claim_tick(job: Job, tick: dt.datetime) -> bool:
    """Whether this task is the first to run the job for `tick`; records the claim if so.

    Each statement commits on its own: a claim must be seen by the other workers at once, and
    must outlast whatever the run then rolls back.
    """
    later = Q(tick__lt=tick) | Q(tick__isnull=True)
    claimed = bool(JobRun.objects.filter(later, job=job.name).update(tick=tick))
    if not claimed:
        try:
            with transaction.atomic():
                JobRun.objects.create(job=job.name, tick=tick, started_at=timezone.now())
        except IntegrityError:  # the row exists, its tick at or past this one: taken
            pass
        else:
            claimed = True
    # The scale-out test counts these lines: one "runs" a job and tick across all the workers.
    logger.info(
        "Periodic job %s %s for the tick of %s.",
        job.name,
        "runs" if claimed else "is not run: another worker took it",
        f"{tick:%Y-%m-%d %H:%M}",
    )
    return claimed
