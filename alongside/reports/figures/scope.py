"""Programs as a figure reads them: their rows in a period, and a moment's day or month, each in
the program's own time zone, as one SQL expression however many zones the programs span."""

import datetime as dt
import operator
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import reduce
from typing import Any

from django.db.models import (
    Aggregate,
    Case,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate, TruncMonth

from alongside.programs.models import Program
from alongside.reports.periods import Period


def as_list(programs: Iterable[Program]) -> list[Program]:
    """The programs, read once (a queryset is evaluated here)."""
    return list(programs)


def ids_by_zone(programs: Sequence[Program]) -> dict[str, list[int]]:
    zones: dict[str, list[int]] = defaultdict(list)
    for program in programs:
        zones[program.time_zone].append(program.pk)
    return dict(zones)


def in_period(
    field: str, programs: Sequence[Program], period: Period, *, program_field: str = "program_id"
) -> Q:
    """Rows of these programs whose `field` (a moment) falls in the period, in their zone."""
    conditions = []
    for zone, ids in ids_by_zone(programs).items():
        start, after = period.bounds_in(zone)
        conditions.append(
            Q(**{f"{program_field}__in": ids, f"{field}__gte": start, f"{field}__lt": after})
        )
    return any_of(conditions)


def before(
    field: str, programs: Sequence[Program], day: dt.date, *, program_field: str = "program_id"
) -> Q:
    """Rows whose `field` (a moment) is before the start of `day` in their program's zone."""
    return any_of(
        [
            Q(**{f"{program_field}__in": ids, f"{field}__lt": day_starts(day, zone)})
            for zone, ids in ids_by_zone(programs).items()
        ]
    )


def counted(rows: QuerySet[Any], **counts: Aggregate | Subquery) -> dict[str, Any]:
    """`rows.aggregate(**counts)`, asked as one group of all the rows: the same SQL, but Django
    then compiles the counts without matching each against all the others, which with a dozen
    filtered counts was a third of the time it took. A count may also be a subquery of other
    rows that refers to none of these (read once, beside them)."""
    row: dict[str, Any] = (
        rows.values(rows_counted=Value(1, output_field=IntegerField()))
        .annotate(**counts)
        .values(*counts)
        .order_by()
        .get()
    )
    return row


def day_starts(day: dt.date, zone: str) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))


def any_of(conditions: Sequence[Q]) -> Q:
    """Rows meeting any of the conditions; none when there are none. (Built from the first
    condition rather than from "none": Django resolves each condition again in every count
    that filters on it, and a dashboard's counts filter on these dozens of times.)"""
    return reduce(operator.or_, conditions) if conditions else Q(pk__in=[])


def _in_zones(
    programs: Sequence[Program],
    program_field: str,
    truncate: Any,
    field: str,
    shift_of: Callable[[Program], dt.timedelta] | None = None,
) -> Case:
    groups: dict[tuple[str, dt.timedelta], list[int]] = defaultdict(list)
    for program in programs:
        shift = shift_of(program) if shift_of else dt.timedelta()
        groups[(program.time_zone, shift)].append(program.pk)
    whens = []
    for (zone, shift), ids in groups.items():
        moment: Any = F(field)
        if shift:
            moment = ExpressionWrapper(F(field) + shift, output_field=DateTimeField())
        # Cast: PostgreSQL's month of a moment is a timestamp, which a Case would not convert.
        day = Cast(truncate(moment, tzinfo=zoneinfo.ZoneInfo(zone)), DateField())
        whens.append(When(**{f"{program_field}__in": ids}, then=day))
    return Case(*whens, output_field=DateField())


def local_day(
    field: str,
    programs: Sequence[Program],
    *,
    program_field: str = "program_id",
    shift_of: Callable[[Program], dt.timedelta] | None = None,
) -> Case:
    """The day (in its program's zone) of the moment `field`, moved on by `shift_of(program)`
    first: a request received after the business day ends counts as the next day's."""
    return _in_zones(programs, program_field, TruncDate, field, shift_of)


def local_month(
    field: str, programs: Sequence[Program], *, program_field: str = "program_id"
) -> Case:
    """The first day of the month (in its program's zone) of the moment `field`."""
    return _in_zones(programs, program_field, TruncMonth, field)
