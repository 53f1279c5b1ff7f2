"""What a few supporters of one program still need before they can be matched, from plain
values in two queries: the request page's "why not?" lines for the supporters it shows.

`queries.readiness_of` reads five (the steps, the trainings, and each kind of record, as model
objects with their program); a page that already counts every query reads the program's current
steps and trainings together, then the few supporters' records together, and asks the same rules
(`queries.readiness_from`), so the words are the gate's own. A test keeps the two equal
(supporters/tests/test_ready.py).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import DateField, F, QuerySet, Value

from alongside.core.prepared import Prepared
from alongside.programs.models import PipelineStep, Program, TrainingModule
from alongside.supporters.models import BackgroundCheck, StepRecord, Supporter, TrainingRecord
from alongside.supporters.queries import Readiness, readiness_from

_STEP, _MODULE = 0, 1
_STEP_RECORD, _CHECK, _TRAINING = 0, 1, 2


def _tagged(rows: QuerySet[Any], kind: int, **columns: Any) -> QuerySet[Any]:
    """Rows of one shape, whatever their table, so that a union reads them together."""
    tagged = rows.order_by().annotate(table=Value(kind), **columns)
    shaped: QuerySet[Any] = tagged.values_list("table", *columns)
    return shaped


def _content_rows(*, program_id: int) -> QuerySet[Any]:
    steps = _tagged(
        PipelineStep.objects.current().filter(program_id=program_id),
        _STEP,
        pk_=F("pk"),
        name_=F("name"),
        texts=F("translations"),
        kind_=F("kind"),
        required=F("is_required"),
        order_=F("order"),
    )
    modules = _tagged(
        TrainingModule.objects.current().filter(program_id=program_id),
        _MODULE,
        pk_=F("pk"),
        name_=F("name"),
        texts=F("translations"),
        kind_=Value(""),
        required=F("is_required"),
        order_=Value(0),
    )
    return steps.union(modules, all=True).order_by()


def _record_rows(*, ids: Sequence[int]) -> QuerySet[Any]:
    mine = {"supporter_id__in": ids}
    no_day = Value(None, output_field=DateField())
    columns = {"whose": F("supporter_id"), "at": F("recorded_at"), "number": F("pk")}
    parts = [
        _tagged(
            StepRecord.objects.filter(**mine),
            _STEP_RECORD,
            **columns,
            of=F("step_id"),
            state=F("outcome"),
            ends=no_day,
        ),
        _tagged(
            BackgroundCheck.objects.filter(**mine),
            _CHECK,
            **columns,
            of=Value(0),
            state=F("status"),
            ends=F("expires_on"),
        ),
        _tagged(
            TrainingRecord.objects.filter(**mine),
            _TRAINING,
            **columns,
            of=F("module_id"),
            state=Value(""),
            ends=F("expires_on"),
        ),
    ]
    return parts[0].union(*parts[1:], all=True).order_by()


# Compiled once: a supporter's save reads these two for the matching snapshot.
_CONTENT, _RECORDS = Prepared(_content_rows), Prepared(_record_rows)


def _content(program: Program) -> tuple[list[PipelineStep], list[TrainingModule]]:
    """The program's current steps in order and its current trainings by name (one query)."""
    found_steps, found_modules = [], []
    for kind, pk, name, texts, step_kind, required, order in _CONTENT(program_id=program.pk):
        fields = {"pk": pk, "program": program, "name": name, "translations": texts}
        if kind == _STEP:
            found_steps.append(
                PipelineStep(**fields, kind=step_kind, is_required=required, order=order)
            )
        else:
            found_modules.append(TrainingModule(**fields, is_required=required))
    found_steps.sort(key=lambda step: step.order)
    found_modules.sort(key=lambda module: module.name)
    return found_steps, found_modules


def _records(supporter_ids: Sequence[int]) -> dict[int, list[list[Any]]]:
    """Each supporter's step records, checks and trainings, each oldest first (one query)."""
    found: dict[int, list[list[Any]]] = defaultdict(lambda: [[], [], []])
    rows = sorted(_RECORDS(ids=list(supporter_ids)), key=lambda row: (row[2], row[3]))
    for kind, whose, at, number, of, state, ends in rows:
        if kind == _STEP_RECORD:
            record: Any = StepRecord(pk=number, supporter_id=whose, step_id=of, outcome=state)
        elif kind == _CHECK:
            record = BackgroundCheck(pk=number, supporter_id=whose, status=state, expires_on=ends)
        else:
            record = TrainingRecord(pk=number, supporter_id=whose, module_id=of, expires_on=ends)
        record.recorded_at = at
        found[whose][kind].append(record)
    return found


def readiness_of_a_few(
    program: Program, supporters: Sequence[Supporter], today: dt.date
) -> dict[int, Readiness]:
    """What each of a few supporters of `program` still needs on `today`, keyed by id (as
    `queries.readiness_of` says it), in two queries; none when there is nobody to ask about.
    Its records are plain values: enough for the words, not for a page about the records."""
    if not supporters:
        return {}
    steps, modules = _content(program)
    records = _records([supporter.pk for supporter in supporters])
    result = {}
    for supporter in supporters:
        step_records, checks, trainings = records[supporter.pk]
        result[supporter.pk] = readiness_from(
            supporter,
            steps=steps,
            modules=modules,
            step_records=step_records,
            checks=checks,
            trainings=trainings,
            today=today,
        )
    return result
