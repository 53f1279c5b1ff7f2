"""The readiness gate set by set: which of a program's supporters may be matched on a day.

`queries.readiness_of` says, supporter by supporter and in words, what each still needs; it
builds a model object per record, which is right for a page about a few people and far too
slow for the matching snapshot of a whole program (about 119,000 objects at 10,000
supporters). `ready_ids` answers only "ready or not", from plain values filtered by program
(joins, never a list of every id), in at most seven queries. The rules are the same, and a test
compares both on supporters missing each kind of step (supporters/tests/test_ready.py).
"""

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Count, Q

from alongside.programs.models import PipelineStep, StepKind, TrainingModule
from alongside.supporters.models import (
    BackgroundCheck,
    CheckStatus,
    StepOutcome,
    StepRecord,
    Supporter,
    TrainingRecord,
)

# Steps met by checks and trainings rather than by a step record of their own.
_MET_APART = (StepKind.BACKGROUND_CHECK, StepKind.TRAINING)


def ready_ids(program_id: int, today: dt.date) -> set[int]:
    """The program's supporters whose gate passes on `today`: those for whom
    `readiness_of(...)[id].is_ready` is true, whatever their status. (A few supporters' gate
    is `gate.readiness_of_a_few`, in two queries.)"""
    mine: dict[str, Any] = {"supporter__program_id": program_id}
    ready = set(Supporter.objects.filter(program_id=program_id).values_list("pk", flat=True))
    steps = PipelineStep.objects.current().filter(program_id=program_id)
    kinds = dict(steps.filter(is_required=True).values_list("pk", "kind"))
    ready &= _passed_their_steps(
        program_id, ready, [pk for pk, kind in kinds.items() if kind not in _MET_APART]
    )
    if StepKind.BACKGROUND_CHECK in kinds.values():
        ready &= _cleared(mine, today)
    # Trainings count through a required training step, or on their own when there is none.
    if StepKind.TRAINING in kinds.values() or not steps.filter(kind=StepKind.TRAINING).exists():
        ready &= _trained(program_id, mine, today, ready)
    return ready


# Each (supporter, step)'s latest record, newest first by (recorded_at, id) as the gate reads
# them; those whose latest record of every step says passed. Written in SQL because the ORM
# cannot count over a query filtered on a window function; at 10,000 supporters it returns
# their ids alone rather than their 50,000 records for Python to sort out.
_PASSED_EVERY_STEP = """
    SELECT latest.supporter_id FROM (
        SELECT record.supporter_id, record.outcome, ROW_NUMBER() OVER (
            PARTITION BY record.supporter_id, record.step_id
            ORDER BY record.recorded_at DESC, record.id DESC
        ) AS newest
        FROM {records} record INNER JOIN {supporters} supporter
            ON supporter.id = record.supporter_id
        WHERE supporter.program_id = %s AND record.step_id IN ({steps})
    ) latest
    WHERE latest.newest = 1 AND latest.outcome = %s
    GROUP BY latest.supporter_id
    HAVING COUNT(*) = %s
"""


def _passed_their_steps(program_id: int, ready: set[int], steps: list[int]) -> set[int]:
    """Those whose latest record of each step says it was passed."""
    if not steps:
        return ready
    sql = _PASSED_EVERY_STEP.format(
        records=StepRecord._meta.db_table,
        supporters=Supporter._meta.db_table,
        steps=", ".join(["%s"] * len(steps)),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [program_id, *steps, StepOutcome.PASSED.value, len(steps)])
        return ready & {supporter_id for (supporter_id,) in cursor.fetchall()}


def _cleared(mine: dict[str, Any], today: dt.date) -> set[int]:
    """Those whose latest background check is cleared and not expired."""
    latest: dict[int, tuple[str, dt.date | None]] = {}
    checks = BackgroundCheck.objects.filter(**mine).order_by("recorded_at", "pk")
    for supporter_id, status, expires_on in checks.values_list(
        "supporter_id", "status", "expires_on"
    ):
        latest[supporter_id] = (status, expires_on)
    return {
        supporter_id
        for supporter_id, (status, expires_on) in latest.items()
        if status not in (CheckStatus.REQUESTED, CheckStatus.NOT_CLEARED)
        and not (expires_on is not None and expires_on < today)
    }


def _trained(program_id: int, mine: dict[str, Any], today: dt.date, ready: set[int]) -> set[int]:
    """Those with a current record of every required training module."""
    modules = set(
        TrainingModule.objects.current()
        .filter(program_id=program_id, is_required=True)
        .values_list("pk", flat=True)
    )
    if not modules:
        return ready
    current = TrainingRecord.objects.filter(
        Q(expires_on=None) | Q(expires_on__gte=today), module__in=modules, **mine
    )
    every_module = (
        current.values("supporter_id")
        .annotate(modules=Count("module_id", distinct=True))
        .filter(modules=len(modules))
    )
    return set(every_module.values_list("supporter_id", flat=True))
