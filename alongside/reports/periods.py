"""The period a report covers: a first and a last day, both included, read in each program's zone.

A period is days, not moments: 1 to 31 March means from midnight at the start of 1 March to
midnight at the end of 31 March *in the program's own time zone*, so a request made at 22:00 in
Vancouver on 31 March counts in March for a Vancouver program (it is 1 April in UTC). Reports that
cover programs in several zones read each program's days in its own zone (`bounds_in`).
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.calendar import add_months
from alongside.core.lazy_text import dated, filled


class PeriodChoice(models.TextChoices):
    THIS_MONTH = "this_month", _("This month")
    LAST_MONTH = "last_month", _("Last month")
    THIS_QUARTER = "this_quarter", _("This quarter")
    LAST_QUARTER = "last_quarter", _("Last quarter")
    THIS_YEAR = "this_year", _("This year")
    LAST_12_MONTHS = "last_12_months", _("Last 12 months")


DEFAULT_PERIOD = PeriodChoice.THIS_QUARTER


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("A period cannot end before it starts.")

    @classmethod
    def of(cls, choice: PeriodChoice, today: dt.date) -> "Period":
        """The period `choice` names, seen from `today` (the program's day)."""
        month = today.replace(day=1)
        quarter = month.replace(month=(month.month - 1) // 3 * 3 + 1)
        match choice:
            case PeriodChoice.THIS_MONTH:
                return cls(month, today)
            case PeriodChoice.LAST_MONTH:
                return cls(add_months(month, -1), month - dt.timedelta(days=1))
            case PeriodChoice.THIS_QUARTER:
                return cls(quarter, today)
            case PeriodChoice.LAST_QUARTER:
                return cls(add_months(quarter, -3), quarter - dt.timedelta(days=1))
            case PeriodChoice.THIS_YEAR:
                return cls(month.replace(month=1), today)
            case _:
                return cls(add_months(month, -11), today)

    def bounds_in(self, zone: str | zoneinfo.ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
        """The first moment of the period and the first moment after it, in `zone` (aware)."""
        tzinfo = zone if isinstance(zone, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(zone)
        after = self.end + dt.timedelta(days=1)
        return (
            dt.datetime.combine(self.start, dt.time(), tzinfo=tzinfo),
            dt.datetime.combine(after, dt.time(), tzinfo=tzinfo),
        )

    @property
    def months(self) -> tuple[dt.date, ...]:
        """The first day of every month the period touches, in order."""
        months = []
        month = self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = add_months(month, 1)
        return tuple(months)

    @property
    def label(self) -> str:
        """ "1 January 2026 to 31 March 2026", in the reader's language (lazy)."""
        return filled(
            _("%(start)s to %(end)s"),
            {"start": dated(self.start, "j F Y"), "end": dated(self.end, "j F Y")},
        )


@dataclass(frozen=True)
class ChosenPeriod:
    """What the page asked for, the period it names, and a sentence when the ask was not valid."""

    choice: PeriodChoice
    period: Period
    problem: str | None = None


def period_from(value: str | None, today: dt.date) -> ChosenPeriod:
    """Read GET `period=`: a known choice, else the default with a message saying so."""
    if not value:
        return ChosenPeriod(DEFAULT_PERIOD, Period.of(DEFAULT_PERIOD, today))
    if value in PeriodChoice.values:
        choice = PeriodChoice(value)
        return ChosenPeriod(choice, Period.of(choice, today))
    return ChosenPeriod(
        DEFAULT_PERIOD,
        Period.of(DEFAULT_PERIOD, today),
        str(
            _("We do not know the period “%(value)s”; showing %(default)s instead.")
            % {"value": value[:40], "default": str(DEFAULT_PERIOD.label).lower()}
        ),
    )
