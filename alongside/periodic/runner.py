"""The one runner of periodic work: each item on its own, so one failure never stops the rest.

Each item is handled in its own transaction. When one raises, its writes are rolled back, the
failure is recorded (count, error, where) and the item is backed off, doubling each time up to
a cap; the runner goes on with the next. Until its back-off passes the item is left out of the
job's due items, so it can neither block the others nor spin. A success clears the failure.

A job with a batch handler is run a batch at a time (BATCH_SIZE items, one transaction each);
a batch that raises is rolled back and its items are handled one by one as above, so only the
failing item is recorded. The due items are read in one indexed query.

A run stops taking batches once `settings.PERIODIC_RUN_SECONDS` have passed (1 s), so no run
holds a worker for long however much falls due at once (a province's monthly hours reports, a
training that expires for thousands on one day): it says that more are due, and the periodic
task queues the next run at once (`tasks.continue_job`), behind whatever else waits for the
worker (an urgent alert's delivery is never stuck behind a 30-second run). The items not
reached are simply still due: the next run reads them afresh.

The messages a run holds for digests (a coordinator told once of many items of a kind,
ADR 0007) are queued at its end, in their own transaction: a batch rolled back holds none, so
one failing item loses neither the others' alerts nor their digest.
"""

import datetime as dt
import logging
import time
import traceback
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from alongside.core.periodic import Job
from alongside.notifications import digests
from alongside.periodic.models import ItemFailure, JobRun

logger = logging.getLogger(__name__)

FIRST_BACKOFF = dt.timedelta(minutes=2)
MAX_BACKOFF = dt.timedelta(hours=6)
OUR_CODE = Path(__file__).resolve().parent.parent  # alongside/
BATCH_SIZE = 250  # due items handled together by a job's batch handler, in one transaction
# A job without a batch handler looks at the clock this often. With batches of 250 at about
# 3 ms an item, a run that stops taking them after 1 s ends within 2 s.
ITEMS_BETWEEN_CHECKS = 50


@dataclass(frozen=True)
class RunSummary:
    done: int  # items handled without an error
    failed: int  # items that raised, now backed off
    changed: int  # what the items' handlers did, added up (alerts recorded, reminders queued)
    more: bool = False  # it stopped on its time with items still due: the next run goes on


def backoff(failures: int) -> dt.timedelta:
    """How long an item that failed `failures` times in a row waits before its next try."""
    return min(FIRST_BACKOFF * (1 << min(failures - 1, 20)), MAX_BACKOFF)


def run_job(job: Job, *, now: dt.datetime | None = None, batched: bool = True) -> RunSummary:
    """Run one job: every due item not backed off, a batch (or an item) to a transaction;
    records the run. `batched=False` handles each item on its own even when the job batches."""
    now = now or timezone.now()
    JobRun.objects.update_or_create(
        job=job.name,
        defaults={
            "started_at": timezone.now(),
            "finished_at": None,
            "items_done": 0,
            "items_failed": 0,
        },
    )
    failing = dict(ItemFailure.objects.filter(job=job.name).values_list("item_pk", "retry_at"))
    backed_off = {item_pk for item_pk, retry_at in failing.items() if retry_at > now}
    model, item_pks = _due(job, now, backed_off)
    summary = RunSummary(done=0, failed=0, changed=0)
    batch_handler = job.handle_batch if batched else None
    size = BATCH_SIZE if batch_handler is not None else ITEMS_BETWEEN_CHECKS
    failing_pks = set(failing)
    started, seconds = time.monotonic(), settings.PERIODIC_RUN_SECONDS
    with digests.collecting():
        for start in range(0, len(item_pks), size):
            if start and seconds is not None and time.monotonic() - started >= seconds:
                summary = RunSummary(summary.done, summary.failed, summary.changed, more=True)
                break
            batch = item_pks[start : start + size]
            outcome = _handle_batch(job, batch_handler, model, batch, now, failing=failing_pks)
            summary = _add(summary, outcome)
    if not summary.more and (job.batch_size is None or len(item_pks) < job.batch_size):
        _forget_items_no_longer_due(job, set(failing) - backed_off - set(item_pks))
    JobRun.objects.filter(job=job.name).update(
        finished_at=timezone.now(), items_done=summary.done, items_failed=summary.failed
    )
    return summary


def _add(summary: RunSummary, more: RunSummary) -> RunSummary:
    return RunSummary(
        done=summary.done + more.done,
        failed=summary.failed + more.failed,
        changed=summary.changed + more.changed,
    )


def _handle_batch(
    job: Job,
    batch_handler: Callable[[Sequence[int], dt.datetime], int] | None,
    model: str,
    item_pks: Sequence[int],
    now: dt.datetime,
    *,
    failing: set[int],
) -> RunSummary:
    """A batch in one transaction by the batch handler; without one, or when it raises, each of
    its items on its own."""
    if batch_handler is not None:
        try:
            with digests.section(), transaction.atomic():
                changed = batch_handler(item_pks, now)
                _forget_items_no_longer_due(job, failing.intersection(item_pks))
        except Exception as error:  # the items are tried one by one, to find the failing one
            logger.info(
                "Periodic job %s: a batch of %s failed (%s); handling its items one by one.",
                job.name,
                len(item_pks),
                _type_of(error),
            )
        else:
            return RunSummary(done=len(item_pks), failed=0, changed=changed)
    done = failed = changed = 0
    for item_pk in item_pks:
        outcome = _handle(job, model, item_pk, now, was_failing=item_pk in failing)
        if outcome is None:
            failed += 1
        else:
            done += 1
            changed += outcome
    return RunSummary(done=done, failed=failed, changed=changed)


def run_item(job: Job, item_pk: int, *, now: dt.datetime | None = None) -> int | None:
    """Handle one item of a job now, backed off or not; None if it failed (and is recorded)."""
    now = now or timezone.now()
    was_failing = ItemFailure.objects.filter(job=job.name, item_pk=item_pk).exists()
    return _handle(job, _model_of(job.due(now)), item_pk, now, was_failing=was_failing)


def _due(job: Job, now: dt.datetime, backed_off: Collection[int]) -> tuple[str, list[int]]:
    """The label of the job's items' model and the ids of its due items not backed off."""
    due = job.due(now)
    if not isinstance(due, QuerySet):
        return _model_of(due), [item_pk for item_pk in due if item_pk not in backed_off]
    if backed_off:
        due = due.exclude(pk__in=backed_off)
    pks = due.values_list("pk", flat=True)
    return _model_of(due), list(pks if job.batch_size is None else pks[: job.batch_size])


def _model_of(due: QuerySet[Any] | Sequence[int]) -> str:
    """ "safety.escalation" for a job over rows; "" for a job that is one step each run."""
    return due.model._meta.label_lower if isinstance(due, QuerySet) else ""


def _handle(
    job: Job, model: str, item_pk: int, now: dt.datetime, *, was_failing: bool
) -> int | None:
    try:
        with digests.section(), transaction.atomic():
            changed = job.handle(item_pk, now)
            if was_failing:
                ItemFailure.objects.filter(job=job.name, item_pk=item_pk).delete()
    except Exception as error:  # one item's failure is recorded, never raised
        logger.warning(
            "Periodic job %s failed on %s #%s: %s",
            job.name,
            model or "run",
            item_pk,
            _type_of(error),
        )
        _record_failure(job, model, item_pk, error, now)
        return None
    return changed


@transaction.atomic
def _record_failure(job: Job, model: str, item_pk: int, error: Exception, now: dt.datetime) -> None:
    failure, created = ItemFailure.objects.select_for_update().get_or_create(
        job=job.name,
        item_pk=item_pk,
        defaults={
            "item_model": model,
            "error_type": _type_of(error),
            "error_message": _where_raised(error),
            "first_failed_at": now,
            "last_failed_at": now,
            "retry_at": now + backoff(1),
        },
    )
    if created:
        return
    failure.failures += 1
    failure.item_model = model
    failure.error_type = _type_of(error)
    failure.error_message = _where_raised(error)
    failure.last_failed_at = now
    failure.retry_at = now + backoff(failure.failures)
    failure.save()


def _forget_items_no_longer_due(job: Job, item_pks: set[int]) -> None:
    """Items that failed once and need nothing now (someone else handled them) are no longer
    failing."""
    if item_pks:
        ItemFailure.objects.filter(job=job.name, item_pk__in=item_pks).delete()


def _type_of(error: Exception) -> str:
    kind = type(error)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _where_raised(error: Exception) -> str:
    """The innermost line of our code the error passed through: never the error's own text,
    which may name a person."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if Path(frame.filename).resolve().is_relative_to(OUR_CODE)]
    if not (ours or frames):
        return ""
    frame = (ours or frames)[-1]
    path = Path(frame.filename).resolve()
    shown = path.relative_to(OUR_CODE.parent) if path.is_relative_to(OUR_CODE) else path.name
    return f"{shown}, line {frame.lineno}, in {frame.name}"[:500]
