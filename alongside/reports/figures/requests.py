"""Requests: how many wait, by their state against the promise, and how long a match took.

The states are intake's (`DueState`, `due_state_is`), not new ones: a waiting request is
overdue once its `due_at` (the program's promise in business days) has passed, nearly due within
`SLA_RISK_WINDOW` of it (when safety's alerts warn coordinators), on time before that.
"""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from alongside.core.calendar import BusinessCalendar
from alongside.intake.models import DueState, RequestStatus, SupportRequest, due_state_is
from alongside.matches.models import Match
from alongside.programs.models import Program
from alongside.reports.figures.scope import as_list, in_period, local_day
from alongside.reports.periods import Period


@dataclass(frozen=True)
class WaitingRequests:
    """Requests waiting for a match now, by their state against the promise."""

    on_time: int
    at_risk: int
    overdue: int

    @property
    def total(self) -> int:
        return self.on_time + self.at_risk + self.overdue


def sla_state_conditions(now: dt.datetime) -> dict[str, Q]:
    """The filter of each state (on_time, at_risk, overdue) on waiting requests at `now`:
    intake's own (`due_state_is`), the same the request queue filters by."""
    return {state.value: due_state_is(state, now) for state in DueState}


def _waiting_counts(now: dt.datetime) -> dict[str, Count]:
    waiting = Q(status=RequestStatus.NEW)
    return {
        state: Count("pk", filter=waiting & condition)
        for state, condition in sla_state_conditions(now).items()
    }


def waiting_requests(*, programs: Iterable[Program], now: dt.datetime) -> WaitingRequests:
    """Requests waiting for a match at `now` in these programs, by SLA state (one query)."""
    ids = [program.pk for program in as_list(programs)]
    counts = SupportRequest.objects.filter(program_id__in=ids).aggregate(**_waiting_counts(now))
    return WaitingRequests(**counts)


@dataclass(frozen=True)
class RequestCounts:
    waiting: WaitingRequests  # now
    received: int  # in the period


def request_counts(
    *, programs: Iterable[Program], period: Period, now: dt.datetime
) -> RequestCounts:
    """Requests waiting now by SLA state, and requests received in the period (one query)."""
    chosen = as_list(programs)
    counts = SupportRequest.objects.filter(
        program_id__in=[program.pk for program in chosen]
    ).aggregate(
        received=Count("pk", filter=in_period("received_at", chosen, period)),
        **_waiting_counts(now),
    )
    received = counts.pop("received")
    return RequestCounts(waiting=WaitingRequests(**counts), received=received)


LONGEST_SHOWN = 10


@dataclass(frozen=True)
class TimeToMatch:
    """Requests first matched in the period: how many business days the match took.

    Days are business days of each program's calendar, counted from the business day the
    request counts as arriving (the next one when it came after hours, on a weekend or a
    holiday) to the day the match started: 0 is the same business day. Percentiles are nearest
    rank. `within_sla` counts matches that started by the request's `due_at`.
    """

    received: int
    matched: int
    within_sla: int
    median_days: int | None
    p90_days: int | None
    # (business days, requests) for 0 to LONGEST_SHOWN - 1 days; `longer` for the rest.
    distribution: tuple[tuple[int, int], ...]
    longer: int
    sla_days: tuple[int, ...]

    @property
    def share_within_sla(self) -> float | None:
        return self.within_sla / self.matched if self.matched else None


def _first_matches(
    programs: list[Program], period: Period
) -> QuerySet[Match, tuple[int, dt.date, dt.date, int, int]]:
    """Requests first matched in the period: (program, arrival day, match day, how many, how many
    by their due time).

    A match is in its request's program (start_match), as are the request's other matches:
    saying so lets the database read only these programs' requests and matches.
    """
    ids = [program.pk for program in programs]
    earlier = Match.objects.filter(
        program_id__in=ids, request_id=OuterRef("request_id"), started_at__lt=OuterRef("started_at")
    )
    return (
        Match.objects.filter(in_period("started_at", programs, period), request__program_id__in=ids)
        .exclude(Exists(earlier))
        .values(
            "program_id",
            arrived=local_day(
                "request__received_at",
                programs,
                # After the business day ends, a request counts as the next day's.
                shift_of=lambda program: (
                    dt.timedelta(days=1)
                    - dt.timedelta(
                        hours=program.business_day_ends_at.hour,
                        minutes=program.business_day_ends_at.minute,
                    )
                ),
            ),
            started=local_day("started_at", programs),
        )
        .annotate(
            requests=Count("pk"), within=Count("pk", filter=Q(started_at__lte=F("request__due_at")))
        )
        .order_by()
        .values_list("program_id", "arrived", "started", "requests", "within")
    )


def business_days_waited(calendar: BusinessCalendar, arrived: dt.date, started: dt.date) -> int:
    """Business days from the business day a request counts as arriving to the match's day."""
    first = arrived if calendar.is_business_day(arrived) else calendar.next_business_day(arrived)
    return calendar.business_days_between(first, started) if started > first else 0


def days_waited_counter(
    calendar: BusinessCalendar, first: dt.date, last: dt.date
) -> Callable[[dt.date, dt.date], int]:
    """`business_days_waited` for days from `first` to `last`, each day's calendar read once.

    From the business days up to each day: a request that arrived on a day off counts from the
    next business day, which is one of those after its arrival when the match came later.
    """
    business: dict[dt.date, bool] = {}
    so_far: dict[dt.date, int] = {}
    count, day = 0, first
    while day <= last:
        business[day] = calendar.is_business_day(day)
        count += business[day]
        so_far[day] = count
        day += dt.timedelta(days=1)

    def waited(arrived: dt.date, started: dt.date) -> int:
        if started <= arrived:
            return 0
        return max(0, so_far[started] - so_far[arrived] - (not business[arrived]))

    return waited


def nearest_rank(histogram: Mapping[int, int], share: float) -> int | None:
    """The smallest value at or below which `share` of the counted items lie."""
    total = sum(histogram.values())
    if not total:
        return None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= share * total:
            return value
    return max(histogram)


def time_to_match(
    *, programs: Iterable[Program], period: Period, received: int | None = None
) -> TimeToMatch:
    """Requests received, and requests first matched, in the period (two queries; one when the
    caller counted `received` already, as request_counts does).

    The rows read are one per program, arrival day and match day: they grow with the period's
    days, not with the number of requests.
    """
    chosen = as_list(programs)
    calendars = {program.pk: program.calendar for program in chosen}
    if received is None:
        received = SupportRequest.objects.filter(in_period("received_at", chosen, period)).count()
    rows = list(_first_matches(chosen, period))
    spans: dict[int, tuple[dt.date, dt.date]] = {}
    for program_id, arrived, started, _requests, _within in rows:
        first, last = spans.get(program_id, (arrived, started))
        spans[program_id] = (min(first, arrived), max(last, started))
    counters = {
        program_id: days_waited_counter(calendars[program_id], *span)
        for program_id, span in spans.items()
    }
    histogram: Counter[int] = Counter()
    within = 0
    for program_id, arrived, started, requests, within_sla in rows:
        histogram[counters[program_id](arrived, started)] += requests
        within += within_sla
    return TimeToMatch(
        received=received,
        matched=sum(histogram.values()),
        within_sla=within,
        median_days=nearest_rank(histogram, 0.5),
        p90_days=nearest_rank(histogram, 0.9),
        distribution=tuple((days, histogram[days]) for days in range(LONGEST_SHOWN)),
        longer=sum(count for days, count in histogram.items() if days >= LONGEST_SHOWN),
        sla_days=tuple(sorted({program.sla_business_days for program in chosen})),
    )
