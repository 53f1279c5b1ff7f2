"""Programs as a figure reads them: their rows in a period, and a moment's day or month, each in
the program's own time zone, as one SQL expression however many zones the programs span."""

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db.models import Case, DateField, DateTimeField, ExpressionWrapper, F, Q, When
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
    condition = Q(pk__in=[])
    for zone, ids in ids_by_zone(programs).items():
        start, after = period.bounds_in(zone)
        condition |= Q(
            **{f"{program_field}__in": ids, f"{field}__gte": start, f"{field}__lt": after}
        )
    return condition


def before(
    field: str, programs: Sequence[Program], day: dt.date, *, program_field: str = "program_id"
) -> Q:
    """Rows whose `field` (a moment) is before the start of `day` in their program's zone."""
    condition = Q(pk__in=[])
    for zone, ids in ids_by_zone(programs).items():
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=zoneinfo.ZoneInfo(zone))
        condition |= Q(**{f"{program_field}__in": ids, f"{field}__lt": midnight})
    return condition


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
