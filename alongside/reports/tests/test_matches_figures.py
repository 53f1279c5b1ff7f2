"""Open matches, contacts and hours by month, counted by hand on a Vancouver program."""

import datetime as dt
import zoneinfo

import pytest

from alongside.matches.factories import ContactLogFactory, HoursReportFactory, MatchFactory
from alongside.matches.models import ClosureReason, Match, MatchStatus
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program
from alongside.reports.figures.matches import match_flow, matches_by_month
from alongside.reports.periods import Period
from alongside.supporters.factories import SupporterFactory

VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
JANUARY = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 31))
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
WINTER = Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VANCOUVER)


@pytest.fixture
def pacific(db: None) -> Program:
    return ProgramFactory(slug="pacific", time_zone="America/Vancouver", subdivision="BC")


def closed(program: Program, started: dt.datetime, ended: dt.datetime) -> Match:
    return MatchFactory(
        program=program,
        started_at=started,
        status=MatchStatus.CLOSED,
        closed_at=ended,
        closure_reason=ClosureReason.COMPLETED,
    )


@pytest.fixture
def winter(pacific: Program) -> Match:
    closed(pacific, at(2025, 12, 15, 10), at(2026, 1, 10, 10))
    # Closed on New Year's Eve at 23:00 in Vancouver (1 January in UTC): December's.
    closed(pacific, at(2025, 12, 1, 10), at(2025, 12, 31, 23))
    # Started on 31 January at 23:30 in Vancouver (1 February in UTC): open in both months.
    late_january = MatchFactory(program=pacific, started_at=at(2026, 1, 31, 23, 30))
    MatchFactory(program=pacific, started_at=at(2026, 2, 28, 22))
    return late_january


def test_open_matches_each_month_are_read_in_the_programs_days(
    pacific: Program, winter: Match
) -> None:
    figure = matches_by_month(programs=[pacific], period=WINTER)

    assert [month.month for month in figure.months] == [dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
    assert [month.active_matches for month in figure.months] == [2, 2]


def test_contacts_made_are_counted_in_the_month_of_the_programs_zone(
    pacific: Program, winter: Match
) -> None:
    ContactLogFactory(match=winter, occurred_at=at(2026, 1, 31, 23, 45), minutes=30)
    ContactLogFactory(match=winter, occurred_at=at(2026, 2, 5, 10), minutes=45)
    ContactLogFactory(match=winter, occurred_at=at(2026, 2, 6, 10), minutes=5, was_made=False)

    figure = matches_by_month(programs=[pacific], period=WINTER)

    assert [(month.contacts, month.contact_minutes) for month in figure.months] == [
        (1, 30),
        (1, 45),
    ]


def test_hours_are_the_confirmed_ones_else_the_logged_ones_against_the_band(
    pacific: Program, program_b: Program
) -> None:
    january = dt.date(2026, 1, 1)
    regular = SupporterFactory(program=pacific)
    HoursReportFactory(supporter=regular, month=january, logged_minutes=150)
    HoursReportFactory(supporter=regular, month=dt.date(2026, 2, 1), logged_minutes=120)
    HoursReportFactory(
        supporter=SupporterFactory(program=pacific),
        month=january,
        logged_minutes=300,
        confirmed_minutes=60,
    )
    HoursReportFactory(
        supporter=SupporterFactory(program=pacific, is_paid=True),
        month=january,
        logged_minutes=300,
    )
    HoursReportFactory(supporter=SupporterFactory(program=program_b), month=january)

    january_figure, february_figure = matches_by_month(programs=[pacific], period=WINTER).months

    assert (january_figure.reports, january_figure.minutes, january_figure.paid_minutes) == (
        3,
        510,
        300,
    )
    assert (january_figure.hours, january_figure.volunteer_hours) == (8.5, 3.5)
    assert (january_figure.below_band, january_figure.within_band, january_figure.above_band) == (
        1,
        1,
        1,
    )
    assert (february_figure.reports, february_figure.within_band) == (1, 1)


def test_match_flow_counts_starts_closures_with_reasons_and_open_at_the_end(
    pacific: Program, winter: Match
) -> None:
    january = match_flow(programs=[pacific], period=JANUARY)
    february = match_flow(programs=[pacific], period=FEBRUARY)

    assert (january.started, january.closed, january.open_at_end) == (1, 1, 1)
    assert january.closed_by_reason == ((ClosureReason.COMPLETED, 1),)
    assert (february.started, february.closed, february.open_at_end) == (1, 0, 2)


def test_no_programs_count_nothing(db: None) -> None:
    figure = matches_by_month(programs=[], period=JANUARY)

    assert figure.months[0].active_matches == 0
    assert match_flow(programs=[], period=JANUARY).started == 0
