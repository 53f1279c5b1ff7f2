"""Periods named on the dashboard, and what a page asking for an unknown one gets."""

import datetime as dt

import pytest

from alongside.reports.periods import Period, PeriodChoice, period_from

TODAY = dt.date(2026, 2, 14)


@pytest.mark.parametrize(
    ("choice", "start", "end"),
    [
        (PeriodChoice.THIS_MONTH, dt.date(2026, 2, 1), TODAY),
        (PeriodChoice.LAST_MONTH, dt.date(2026, 1, 1), dt.date(2026, 1, 31)),
        (PeriodChoice.THIS_QUARTER, dt.date(2026, 1, 1), TODAY),
        (PeriodChoice.LAST_QUARTER, dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
        (PeriodChoice.THIS_YEAR, dt.date(2026, 1, 1), TODAY),
        (PeriodChoice.LAST_12_MONTHS, dt.date(2025, 3, 1), TODAY),
    ],
)
def test_each_choice_names_its_days(choice: PeriodChoice, start: dt.date, end: dt.date) -> None:
    assert Period.of(choice, TODAY) == Period(start, end)


def test_a_period_starts_and_ends_at_midnight_in_the_zone_it_is_read_in() -> None:
    start, after = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31)).bounds_in("America/Vancouver")

    assert start.astimezone(dt.UTC) == dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC)
    # Summer time began on 8 March: the end is seven hours from UTC, not eight.
    assert after.astimezone(dt.UTC) == dt.datetime(2026, 4, 1, 7, tzinfo=dt.UTC)


def test_a_period_lists_the_months_it_touches() -> None:
    period = Period(dt.date(2025, 11, 15), dt.date(2026, 1, 3))

    assert period.months == (dt.date(2025, 11, 1), dt.date(2025, 12, 1), dt.date(2026, 1, 1))


def test_an_unknown_period_falls_back_to_this_quarter_and_says_so() -> None:
    chosen = period_from("next_century", TODAY)

    assert chosen.choice == PeriodChoice.THIS_QUARTER
    assert chosen.period == Period(dt.date(2026, 1, 1), TODAY)
    assert "next_century" in str(chosen.problem)


def test_no_period_asked_is_this_quarter_without_a_message() -> None:
    assert period_from(None, TODAY).problem is None
    assert period_from("last_month", TODAY).period.end == dt.date(2026, 1, 31)
