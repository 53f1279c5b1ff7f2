"""Matches: how many were open each month, the contacts made and the hours given against the band.

Hours are the supporters' monthly hours reports (matches' `HoursReport`): the confirmed minutes
where the supporter confirmed them, else the minutes their contact log adds up to. The band is
each program's expected hours a month (`expected_hours_min` to `expected_hours_max`), read per
supporter-month.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce

from alongside.matches.models import ClosureReason, ContactLog, HoursReport, Match
from alongside.programs.models import Program
from alongside.reports import contact_days
from alongside.reports.figures.scope import any_of, as_list, before, in_period, local_month
from alongside.reports.periods import Period


@dataclass(frozen=True)
class MonthOfMatches:
    month: dt.date  # its first day
    active_matches: int  # open at any time in the month (started, not yet closed)
    contacts: int  # contacts made (not attempts)
    contact_minutes: int
    reports: int  # supporters who reported hours for the month
    giving: int  # of whom gave some time (retention: supporters active that month)
    minutes: int  # their hours, in minutes
    paid_minutes: int  # of which paid peer support workers gave
    below_band: int  # supporters under the program's band that month
    within_band: int
    above_band: int

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 1)

    @property
    def volunteer_hours(self) -> float:
        return round((self.minutes - self.paid_minutes) / 60, 1)

    @property
    def paid_hours(self) -> float:
        return round(self.paid_minutes / 60, 1)


@dataclass(frozen=True)
class MatchesByMonth:
    months: tuple[MonthOfMatches, ...]
    # The expected hours a month, from and to; several when the programs' bands differ.
    bands: tuple[tuple[Decimal, Decimal], ...]


def open_during(programs: list[Program], period: Period) -> Q:
    """Matches that were open at some moment of the period, in their program's days."""
    started_by_end = before("started_at", programs, period.end + dt.timedelta(days=1))
    closed_before_start = before("closed_at", programs, period.start)
    return started_by_end & (Q(closed_at__isnull=True) | ~closed_before_start)


def _active_by_month(programs: list[Program], period: Period) -> dict[dt.date, int]:
    """Matches open at some moment of each month of the period (one query, whatever the months).

    The matches open during the period, counted by the months (in their program's zone) they
    started and closed in. A month's own bounds are months' firsts, except the period's first
    and last days; a match open during the period started before its end and closed (if it did)
    after its start, so comparing months is exact.
    """
    rows = (
        Match.objects.filter(program_id__in=[program.pk for program in programs])
        .filter(open_during(programs, period))
        .values(
            started=local_month("started_at", programs), closed=local_month("closed_at", programs)
        )
        .annotate(matches=Count("pk"))
        .order_by()
    )
    active = dict.fromkeys(period.months, 0)
    for row in rows:
        for month in active:
            if row["started"] <= month and (row["closed"] is None or month <= row["closed"]):
                active[month] += row["matches"]
    return active


def _contacts_by_month(programs: list[Program], period: Period) -> dict[dt.date, tuple[int, int]]:
    """Contacts made and their minutes in each month: the programs' counts by day, and the
    contacts themselves of any program not counted (a second query then)."""
    counted = contact_days.counted_by_month(programs, period)
    by_month = counted.by_month
    if not counted.uncounted:
        return by_month
    rows = (
        ContactLog.objects.filter(
            in_period("occurred_at", counted.uncounted, period, program_field="match__program_id"),
            was_made=True,
        )
        .values(
            month=local_month("occurred_at", counted.uncounted, program_field="match__program_id")
        )
        .annotate(contacts=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    )
    for row in rows:
        contacts, minutes = by_month.get(row["month"], (0, 0))
        by_month[row["month"]] = (contacts + row["contacts"], minutes + (row["minutes"] or 0))
    return by_month


def _against_the_bands(programs: list[Program]) -> tuple[Q, Q]:
    """Reports under their program's band, and over it: each band as minutes, not read from the
    program's row for every report (multiplied there, it was most of the hours' time)."""
    by_band: dict[tuple[Decimal, Decimal], list[int]] = defaultdict(list)
    for program in programs:
        by_band[(program.expected_hours_min, program.expected_hours_max)].append(program.pk)
    return (
        any_of(
            [Q(program_id__in=ids, given__lt=least * 60) for (least, _), ids in by_band.items()]
        ),
        any_of([Q(program_id__in=ids, given__gt=most * 60) for (_, most), ids in by_band.items()]),
    )


def _hours_by_month(programs: list[Program], period: Period) -> dict[dt.date, Mapping[str, Any]]:
    minutes = Coalesce("confirmed_minutes", "logged_minutes")
    below, above = _against_the_bands(programs)
    rows = (
        HoursReport.objects.filter(
            program_id__in=[program.pk for program in programs], month__in=period.months
        )
        .annotate(given=minutes)
        .values("month")
        .annotate(
            reports=Count("pk"),
            giving=Count("pk", filter=Q(given__gt=0)),
            minutes=Sum("given"),
            paid_minutes=Sum("given", filter=Q(supporter__is_paid=True)),
            below_band=Count("pk", filter=below),
            above_band=Count("pk", filter=above),
        )
        .order_by()
    )
    return {row["month"]: row for row in rows}


def matches_by_month(*, programs: Iterable[Program], period: Period) -> MatchesByMonth:
    """Open matches, contacts and hours for each month of the period (three queries; four while
    a program's contacts are not counted by day, reports/contact_days.py)."""
    chosen = as_list(programs)
    active = _active_by_month(chosen, period)
    contacts = _contacts_by_month(chosen, period)
    hours = _hours_by_month(chosen, period)
    months = []
    for month in period.months:
        contacts_made, contact_minutes = contacts.get(month, (0, 0))
        hours_row = hours.get(month, {})
        reports = hours_row.get("reports", 0)
        below, above = hours_row.get("below_band", 0), hours_row.get("above_band", 0)
        months.append(
            MonthOfMatches(
                month=month,
                active_matches=active.get(month, 0),
                contacts=contacts_made,
                contact_minutes=contact_minutes,
                reports=reports,
                giving=hours_row.get("giving", 0),
                minutes=hours_row.get("minutes") or 0,
                paid_minutes=hours_row.get("paid_minutes") or 0,
                below_band=below,
                within_band=reports - below - above,
                above_band=above,
            )
        )
    bands = sorted({(program.expected_hours_min, program.expected_hours_max) for program in chosen})
    return MatchesByMonth(months=tuple(months), bands=tuple(bands))


@dataclass(frozen=True)
class MatchFlow:
    """Matches started and closed in the period, why they closed, and those open at its end."""

    started: int
    closed: int
    open_at_end: int
    closed_by_reason: tuple[tuple[ClosureReason, int], ...]


def match_flow(*, programs: Iterable[Program], period: Period) -> MatchFlow:
    """Matches started, closed (by reason) and open at the period's end (two queries)."""
    chosen = as_list(programs)
    scoped = Match.objects.filter(program_id__in=[program.pk for program in chosen])
    after = period.end + dt.timedelta(days=1)
    counts = scoped.aggregate(
        started=Count("pk", filter=in_period("started_at", chosen, period)),
        closed=Count("pk", filter=in_period("closed_at", chosen, period)),
        open_at_end=Count(
            "pk",
            filter=before("started_at", chosen, after)
            & (Q(closed_at__isnull=True) | ~before("closed_at", chosen, after)),
        ),
    )
    reasons = dict(
        scoped.filter(in_period("closed_at", chosen, period))
        .values_list("closure_reason")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return MatchFlow(
        **counts,
        closed_by_reason=tuple(
            (reason, reasons[reason.value]) for reason in ClosureReason if reasons.get(reason.value)
        ),
    )
