"""Open matches each month: for any matches in any zones and any period (a funder's may start
and end mid-month), the dashboard's count equals one made by hand, match by match, from each
month's first and last moments in the match's program's zone."""

import datetime as dt
import itertools
import zoneinfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.core.calendar import add_months
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match, MatchStatus
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program
from alongside.reports.figures.matches import matches_by_month
from alongside.reports.periods import Period

ZONES = ["America/Toronto", "America/Vancouver", "America/St_Johns", "America/Regina"]
FIRST_DAY = dt.date(2025, 12, 1)
DAYS = 150
counter = itertools.count()

match = st.tuples(
    st.integers(0, 1),  # which program
    st.integers(-40, DAYS + 40),  # started, in days from FIRST_DAY
    st.integers(0, 24 * 60 - 1),  # at that minute (UTC)
    st.one_of(st.none(), st.integers(0, 120)),  # closed so many days later, or open
    st.integers(0, 24 * 60 - 1),
)


def moment(day: int, minute: int) -> dt.datetime:
    start = dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=dt.UTC)
    return start + dt.timedelta(days=day, minutes=minute)


def by_hand(programs: list[Program], period: Period) -> list[int]:
    counts = []
    for month in period.months:
        first = max(month, period.start)
        after = min(add_months(month, 1), period.end + dt.timedelta(days=1))
        count = 0
        for program in programs:
            zone = zoneinfo.ZoneInfo(program.time_zone)
            starts = dt.datetime.combine(first, dt.time(), tzinfo=zone)
            ends = dt.datetime.combine(after, dt.time(), tzinfo=zone)
            for found in Match.objects.filter(program=program):
                closed = found.closed_at
                count += found.started_at < ends and (closed is None or closed >= starts)
        counts.append(count)
    return counts


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)),
    matches=st.lists(match, max_size=25),
    bounds=st.tuples(st.integers(0, DAYS), st.integers(0, DAYS)),
)
def test_open_matches_each_month_equal_a_count_by_hand(zones, matches, bounds):
    programs = [ProgramFactory(slug=f"open-{next(counter)}", time_zone=zone) for zone in zones]
    for which, start_day, start_minute, closed_after, close_minute in matches:
        started = moment(start_day, start_minute)
        closed = (
            None
            if closed_after is None
            else started + dt.timedelta(days=closed_after, minutes=close_minute)
        )
        MatchFactory(
            program=programs[which],
            started_at=started,
            closed_at=closed,
            status=MatchStatus.ACTIVE if closed is None else MatchStatus.CLOSED,
        )
    first, last = sorted(bounds)
    period = Period(FIRST_DAY + dt.timedelta(days=first), FIRST_DAY + dt.timedelta(days=last))

    figure = matches_by_month(programs=programs, period=period)

    assert [month.active_matches for month in figure.months] == by_hand(programs, period)
