"""Run a job batched and item by item on the same world, and compare what each wrote."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models, transaction

from alongside.core.models import AuditEvent
from alongside.core.periodic import Job
from alongside.notifications.models import OutboxMessage
from alongside.periodic.runner import RunSummary, run_job


@dataclass(frozen=True)
class Outcome:
    summary: RunSummary
    rows: dict[str, list[dict[str, Any]]]  # each model's rows, as stored, but for their clocks


def both_ways(job: Job, now: dt.datetime, *also: type[models.Model]) -> tuple[Outcome, Outcome]:
    """The job's run batched, then item by item, each from the same world (rolled back after).

    Ids are given alike both ways (sequences reset before each run), so the rows compare whole:
    outbox messages, audit events and the rows of `also`.
    """
    watched = [OutboxMessage, AuditEvent, *also]
    outcomes = []
    for batched in (True, False):
        savepoint = transaction.savepoint_create()
        _reset_sequences(watched)
        summary = run_job(job, now=now, batched=batched)
        outcomes.append(Outcome(summary, {model.__name__: _rows(model) for model in watched}))
        transaction.savepoint_rollback(savepoint)
    return outcomes[0], outcomes[1]


def _reset_sequences(watched: list[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), watched):
            cursor.execute(statement)


def _rows(model: type[models.Model]) -> list[dict[str, Any]]:
    clocks = {
        field.attname
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    }
    clocks.add("next_attempt_at")  # an outbox message's: the moment it was queued
    return [
        {name: value for name, value in row.items() if name not in clocks}
        for row in model.objects.order_by("pk").values()
    ]
