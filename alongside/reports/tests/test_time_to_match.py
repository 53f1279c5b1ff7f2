"""Time to match and requests waiting, counted by hand on a Vancouver program in February 2026.

British Columbia's Family Day is Monday 16 February 2026; business days end at 17:00.
"""

import datetime as dt
import zoneinfo

import pytest

from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.matches.factories import MatchFactory
from alongside.matches.models import MatchStatus
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program
from alongside.reports.figures.requests import time_to_match, waiting_requests
from alongside.reports.periods import Period

VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def at(day: int, hour: int, minute: int = 0, month: int = 2) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VANCOUVER)


@pytest.fixture
def pacific(db: None) -> Program:
    return ProgramFactory(
        slug="pacific", time_zone="America/Vancouver", subdivision="BC", sla_business_days=2
    )


def matched(program: Program, received: dt.datetime, started: dt.datetime) -> None:
    request_ = SupportRequestFactory(
        program=program, received_at=received, status=RequestStatus.MATCHED
    )
    MatchFactory(program=program, request=request_, started_at=started)


@pytest.fixture
def february(pacific: Program) -> Program:
    # 16:30 on Tuesday in Vancouver is already Wednesday in UTC: still Tuesday's, 2 days.
    matched(pacific, at(10, 16, 30), at(12, 10))
    # Friday night after hours, a weekend, then Family Day: counts from Tuesday, 0 days.
    matched(pacific, at(13, 22, 30), at(17, 10))
    # Thursday to Wednesday across the holiday: Fri, Tue, Wed are 3 days, past the promise.
    matched(pacific, at(12, 10), at(18, 9))
    matched(pacific, at(11, 9), at(13, 16))
    # Matched on Saturday night (Sunday in UTC), the day after it came: 0 business days.
    matched(pacific, at(27, 9), at(28, 22))
    # Started on 31 January at 23:30 in Vancouver, 1 February in UTC: January's.
    matched(pacific, at(30, 9, month=1), at(31, 23, 30, month=1))
    return pacific


def test_time_to_match_counts_business_days_in_the_programs_zone_and_calendar(
    february: Program,
) -> None:
    figure = time_to_match(programs=[february], period=FEBRUARY)

    assert figure.received == 5
    assert figure.matched == 5
    assert figure.distribution[:4] == ((0, 2), (1, 0), (2, 2), (3, 1))
    assert figure.median_days == 2
    assert figure.p90_days == 3
    assert figure.within_sla == 4
    assert figure.share_within_sla == pytest.approx(0.8)
    assert figure.sla_days == (2,)


def test_a_request_matched_again_counts_once_at_its_first_match(february: Program) -> None:
    first = MatchFactory(
        program=february,
        started_at=at(3, 10),
        request__received_at=at(2, 10),
        status=MatchStatus.CLOSED,
        closed_at=at(5, 10),
    )
    MatchFactory(program=february, request=first.request, started_at=at(20, 10))

    figure = time_to_match(programs=[february], period=FEBRUARY)

    assert figure.matched == 6


def test_another_programs_matches_are_not_counted(february: Program, program_b: Program) -> None:
    matched(
        program_b,
        dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC),
        dt.datetime(2026, 2, 25, 15, tzinfo=dt.UTC),
    )

    assert time_to_match(programs=[february], period=FEBRUARY).matched == 5
    assert time_to_match(programs=[program_b], period=FEBRUARY).matched == 1


def test_no_match_in_the_period_gives_no_median(pacific: Program) -> None:
    figure = time_to_match(programs=[pacific], period=FEBRUARY)

    assert (figure.matched, figure.median_days, figure.share_within_sla) == (0, None, None)


def test_waiting_requests_are_on_time_at_risk_or_overdue_as_the_sla_alerts_say(
    pacific: Program, program_b: Program
) -> None:
    now = dt.datetime(2026, 2, 11, 18, tzinfo=dt.UTC)
    for hours in (-30, -1, 0, 2, 4, 5, 48):
        SupportRequestFactory(program=pacific, due_at=now + dt.timedelta(hours=hours))
    SupportRequestFactory(
        program=pacific, due_at=now - dt.timedelta(hours=5), status=RequestStatus.MATCHED
    )
    SupportRequestFactory(program=program_b, due_at=now - dt.timedelta(hours=5))

    figure = waiting_requests(programs=[pacific], now=now)

    assert (figure.on_time, figure.at_risk, figure.overdue) == (2, 2, 3)
    assert figure.total == 7
