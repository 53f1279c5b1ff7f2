"""What a periodic job is: the building block each app uses to declare its work on a clock.

An app lists its jobs in its own `jobs.py` as `JOBS`; the periodic app above every domain finds
them, registers each with huey and runs it item by item, each in its own transaction, so one
item that fails is recorded and backed off and never stops the others (alongside/periodic/).

A job names the items that are due with one indexed query, and handles ONE item by its id. Both
are given the run's `now`, so a run can be replayed at a chosen moment. `handle` returns how many
things it did (alerts recorded, reminders queued); 0 when another run got there first.

A job whose due items grow with a program also handles a BATCH of them at once (`handle_batch`):
a few queries read what the whole batch needs and bulk writes record it, with the same result as
`handle` on each item in turn. The runner gives it the due items a batch at a time, each batch in
its own transaction; when a batch raises, its writes are rolled back and its items are handled
one by one with `handle`, so the failing item is found, recorded and backed off as ever.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django_stubs_ext import StrOrPromise

# The one item of a job that is a single step each run (a sweep), rather than one per row.
THE_WHOLE_RUN: Sequence[int] = (0,)


@dataclass(frozen=True)
class Job:
    name: str  # unique; also huey's name for the periodic task
    schedule: Callable[[dt.datetime], bool]  # a huey crontab
    every: StrOrPromise  # the schedule, for people: "every minute"
    description: StrOrPromise
    # The due items: a query of rows (ordered, so a batch takes the most urgent), or
    # THE_WHOLE_RUN.
    due: Callable[[dt.datetime], QuerySet[Any] | Sequence[int]]
    handle: Callable[[int, dt.datetime], int]
    # At most this many items a run (the rest wait for the next run); None for all that are due.
    batch_size: int | None = None
    # Handles many due items at once, equal to `handle` on each; None to go item by item.
    handle_batch: Callable[[Sequence[int], dt.datetime], int] | None = None


def whole_run(_now: dt.datetime) -> Sequence[int]:
    """The `due` of a job that is one step each run."""
    return THE_WHOLE_RUN
