"""Where each supporter on their way waits: their step, stored on their row and kept current.

The readiness gate works a supporter's step out from their records (`Readiness.current_step`:
the first required step they have not met). The supporter list filters and sorts thousands of
supporters by it, which it cannot work out row by row in a request, so it is stored on the
supporter (`current_step`, and `step_since`: when they reached it) for those on their way
(applied, in screening); anyone else has none. What changes it, and keeps it current:

- a step, a background check or a training recorded (`services.pipeline.refresh_status`, the
  one place each of them passes); a supporter admitted, added or imported (at their first
  step); one who leaves (at none);
- the program's steps or trainings changed: the worker places its supporters on their way
  again (`tasks.place_program_again`, queued by the programs app's hook);
- a day passing: a check or training that expires moves a supporter back to its step (the
  daily job `keep_steps_current`, which also mends anything else gone stale).

Each writer asks the same gate (`queries.readiness_of`), so the stored step is the board's.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Q, QuerySet
from django.utils import timezone

from alongside.core.calendar import today_in
from alongside.programs.models import PipelineStep, Program
from alongside.supporters.models import Supporter
from alongside.supporters.queries import IN_PIPELINE_STATUSES, Readiness, readiness_of

STEP_FIELDS = ["current_step", "step_since"]
# How many supporters one reading of the gate asks about (it reads their records together).
CHUNK = 250


def step_of(status: str, state: Readiness) -> PipelineStep | None:
    """The step a supporter of this status waits at: the gate's while they are on their way
    (applied, in screening); else none."""
    return state.current_step if status in IN_PIPELINE_STATUSES else None


def place_at(supporter: Supporter, step: PipelineStep | None, now: dt.datetime) -> list[str]:
    """Put the supporter at `step` (not saved); they have waited there since `now` when it is
    a new one. Returns the fields changed, for `save(update_fields=...)`."""
    if supporter.current_step_id == (step.pk if step else None):
        return []
    supporter.current_step = step
    supporter.step_since = now if step is not None else None
    return list(STEP_FIELDS)


def supporters_on_their_way(_now: dt.datetime | None = None) -> QuerySet[Supporter]:
    """Every supporter who may wait at a step, or still holds one: the daily job's due items."""
    return Supporter.objects.filter(
        Q(status__in=IN_PIPELINE_STATUSES) | Q(current_step__isnull=False)
    ).order_by("pk")


def place_again(
    supporter_ids: Sequence[int], now: dt.datetime | None = None, *, as_recorded: bool = False
) -> int:
    """Place these supporters at the gate's step for them now (`as_recorded`: since the last
    thing recorded for them, for records written in bulk); returns how many moved. Reads the
    gate a chunk at a time (a few queries each) and writes only those who moved, each only if
    their step is still the one read: a step recorded meanwhile has placed them already."""
    now = now or timezone.now()
    moved = 0
    for start in range(0, len(supporter_ids), CHUNK):
        chunk = list(
            Supporter.objects.filter(pk__in=supporter_ids[start : start + CHUNK])
            .only("program_id", "status", "created_at", *STEP_FIELDS)
            .order_by("pk")
        )
        states = _gate_on_their_day(chunk, now)
        moves: dict[tuple[int | None, int | None, dt.datetime | None], list[int]] = {}
        for supporter in chunk:
            state = states[supporter.pk]
            was = supporter.current_step_id
            since = (state.waiting_since or now) if as_recorded else now
            if place_at(supporter, step_of(supporter.status, state), since):
                key = (was, supporter.current_step_id, supporter.step_since)
                moves.setdefault(key, []).append(supporter.pk)
        for (was, step_id, at_step_since), ids in moves.items():
            moved += Supporter.objects.filter(pk__in=ids, current_step_id=was).update(
                current_step_id=step_id, step_since=at_step_since
            )
    return moved


def _gate_on_their_day(supporters: list[Supporter], now: dt.datetime) -> dict[int, Readiness]:
    """The gate on each supporter's program's day at `now` (a run replayed at a chosen moment
    reads that moment's day): most share one day, so one reading of the gate."""
    zones = dict(
        Program.objects.filter(pk__in={row.program_id for row in supporters}).values_list(
            "pk", "time_zone"
        )
    )
    by_day: dict[dt.date, list[Supporter]] = defaultdict(list)
    for supporter in supporters:
        by_day[today_in(zones[supporter.program_id], now)].append(supporter)
    states: dict[int, Readiness] = {}
    for day, group in by_day.items():
        states |= readiness_of(group, day)
    return states


def place_program_again(program_id: int) -> int:
    """Place every supporter of the program on their way at their step again (its steps or
    trainings changed): in the worker, a chunk of the gate at a time."""
    ids = list(supporters_on_their_way().filter(program_id=program_id).values_list("pk", flat=True))
    return place_again(ids)


def keep_step_current(supporter_id: int, now: dt.datetime) -> int:
    """The daily job's one supporter: 1 when they moved to another step."""
    return place_again([supporter_id], now)


def keep_steps_current(supporter_ids: Sequence[int], now: dt.datetime) -> int:
    """The daily job's batch: how many of them moved to another step."""
    return place_again(supporter_ids, now)
