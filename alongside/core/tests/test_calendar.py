import datetime as dt
import zoneinfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.core.calendar import BusinessCalendar

ONTARIO = BusinessCalendar(country="CA", subdivision="ON", time_zone="America/Toronto")
BRITISH_COLUMBIA = BusinessCalendar(country="CA", subdivision="BC", time_zone="America/Vancouver")
MASSACHUSETTS = BusinessCalendar(country="US", subdivision="MA", time_zone="America/New_York")
CALENDARS = [ONTARIO, BRITISH_COLUMBIA, MASSACHUSETTS]


def at(
    calendar: BusinessCalendar,
    year: int,
    month: int,
    day: int,
    hour: int,
    minute: int,
    second: int = 0,
) -> dt.datetime:
    """A moment given in the calendar's local time, returned in UTC as the app stores it."""
    local = dt.datetime(year, month, day, hour, minute, second, tzinfo=calendar.zone)
    return local.astimezone(dt.UTC)


def end_of_day(calendar: BusinessCalendar, year: int, month: int, day: int) -> dt.datetime:
    return at(calendar, year, month, day, 17, 0)


# ---- concrete cases ------------------------------------------------------------------------


@pytest.mark.parametrize("calendar", CALENDARS, ids=lambda calendar: calendar.subdivision)
def test_a_friday_afternoon_request_with_one_day_is_due_monday_at_five(
    calendar: BusinessCalendar,
) -> None:
    due = calendar.due_at(at(calendar, 2026, 1, 9, 15, 0), 1)

    assert due == end_of_day(calendar, 2026, 1, 12)
    assert due.tzinfo is dt.UTC


def test_a_request_after_five_counts_from_the_next_business_day() -> None:
    assert ONTARIO.due_at(at(ONTARIO, 2026, 1, 13, 17, 30), 1) == end_of_day(ONTARIO, 2026, 1, 15)


def test_a_request_at_exactly_five_counts_from_the_next_business_day() -> None:
    assert ONTARIO.due_at(at(ONTARIO, 2026, 1, 13, 17, 0), 0) == end_of_day(ONTARIO, 2026, 1, 14)


def test_a_request_a_moment_before_five_counts_that_day() -> None:
    arrival = at(ONTARIO, 2026, 1, 13, 16, 59, 59)

    assert ONTARIO.due_at(arrival, 0) == end_of_day(ONTARIO, 2026, 1, 13)


def test_a_saturday_request_counts_from_monday() -> None:
    assert ONTARIO.due_at(at(ONTARIO, 2026, 1, 10, 9, 0), 1) == end_of_day(ONTARIO, 2026, 1, 13)
    assert ONTARIO.due_at(at(ONTARIO, 2026, 1, 10, 9, 0), 0) == end_of_day(ONTARIO, 2026, 1, 12)


def test_the_business_day_ends_in_local_time_not_utc() -> None:
    # 23:30 UTC on Tuesday is 15:30 in Vancouver: still Tuesday's business day there.
    arrival = dt.datetime(2026, 1, 13, 23, 30, tzinfo=dt.UTC)

    assert BRITISH_COLUMBIA.due_at(arrival, 0) == end_of_day(BRITISH_COLUMBIA, 2026, 1, 13)
    assert ONTARIO.due_at(arrival, 0) == end_of_day(ONTARIO, 2026, 1, 14)


def test_christmas_and_boxing_day_are_skipped_in_ontario() -> None:
    # Christmas is a Friday in 2026; Boxing Day (Saturday) is observed on Monday the 28th.
    arrival = at(ONTARIO, 2026, 12, 24, 10, 0)

    assert ONTARIO.due_at(arrival, 1) == end_of_day(ONTARIO, 2026, 12, 29)


def test_boxing_day_is_not_a_statutory_holiday_in_british_columbia() -> None:
    arrival = at(BRITISH_COLUMBIA, 2026, 12, 24, 10, 0)

    assert BRITISH_COLUMBIA.due_at(arrival, 1) == end_of_day(BRITISH_COLUMBIA, 2026, 12, 28)
    assert BRITISH_COLUMBIA.holiday_name(dt.date(2026, 12, 26)) is None


def test_christmas_is_skipped_in_massachusetts() -> None:
    arrival = at(MASSACHUSETTS, 2026, 12, 24, 10, 0)

    assert MASSACHUSETTS.due_at(arrival, 1) == end_of_day(MASSACHUSETTS, 2026, 12, 28)


@pytest.mark.parametrize("calendar", [ONTARIO, BRITISH_COLUMBIA], ids=["ON", "BC"])
def test_canada_day_is_skipped_in_canada(calendar: BusinessCalendar) -> None:
    assert calendar.due_at(at(calendar, 2026, 6, 30, 12, 0), 1) == end_of_day(calendar, 2026, 7, 2)


def test_canada_day_is_a_business_day_in_massachusetts() -> None:
    arrival = at(MASSACHUSETTS, 2026, 6, 30, 12, 0)

    assert MASSACHUSETTS.due_at(arrival, 1) == end_of_day(MASSACHUSETTS, 2026, 7, 1)


@pytest.mark.parametrize("calendar", [ONTARIO, BRITISH_COLUMBIA], ids=["ON", "BC"])
def test_family_day_2026_is_the_third_monday_of_february_in_both_provinces(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.holiday_name(dt.date(2026, 2, 16)) == "Family Day"
    assert calendar.due_at(at(calendar, 2026, 2, 13, 12, 0), 1) == end_of_day(calendar, 2026, 2, 17)


def test_family_day_fell_a_week_apart_in_ontario_and_british_columbia_before_2019() -> None:
    # British Columbia kept Family Day on the second Monday of February until 2018.
    assert BRITISH_COLUMBIA.is_business_day(dt.date(2018, 2, 12)) is False
    assert ONTARIO.is_business_day(dt.date(2018, 2, 12)) is True
    assert ONTARIO.is_business_day(dt.date(2018, 2, 19)) is False
    assert BRITISH_COLUMBIA.is_business_day(dt.date(2018, 2, 19)) is True

    friday_before = at(ONTARIO, 2018, 2, 9, 12, 0)
    assert ONTARIO.due_at(friday_before, 1) == end_of_day(ONTARIO, 2018, 2, 12)
    assert BRITISH_COLUMBIA.due_at(friday_before, 1) == end_of_day(BRITISH_COLUMBIA, 2018, 2, 13)


def test_patriots_day_is_skipped_in_massachusetts_only() -> None:
    assert MASSACHUSETTS.holiday_name(dt.date(2026, 4, 20)) == "Patriots' Day"
    assert MASSACHUSETTS.due_at(at(MASSACHUSETTS, 2026, 4, 17, 12, 0), 1) == end_of_day(
        MASSACHUSETTS, 2026, 4, 21
    )
    assert ONTARIO.due_at(at(ONTARIO, 2026, 4, 17, 12, 0), 1) == end_of_day(ONTARIO, 2026, 4, 20)


@pytest.mark.parametrize("calendar", [ONTARIO, BRITISH_COLUMBIA], ids=["ON", "BC"])
def test_canadian_thanksgiving_is_the_second_monday_of_october(
    calendar: BusinessCalendar,
) -> None:
    assert calendar.holiday_name(dt.date(2026, 10, 12)) == "Thanksgiving Day"
    assert calendar.due_at(at(calendar, 2026, 10, 9, 12, 0), 1) == end_of_day(
        calendar, 2026, 10, 13
    )
    assert calendar.is_business_day(dt.date(2026, 11, 26))


def test_american_thanksgiving_is_the_fourth_thursday_of_november() -> None:
    assert MASSACHUSETTS.holiday_name(dt.date(2026, 11, 26)) == "Thanksgiving Day"
    arrival = at(MASSACHUSETTS, 2026, 11, 25, 12, 0)

    assert MASSACHUSETTS.due_at(arrival, 1) == end_of_day(MASSACHUSETTS, 2026, 11, 27)
    assert ONTARIO.due_at(at(ONTARIO, 2026, 11, 25, 12, 0), 1) == end_of_day(ONTARIO, 2026, 11, 26)


def test_remembrance_day_is_a_holiday_in_british_columbia_but_not_ontario() -> None:
    assert not BRITISH_COLUMBIA.is_business_day(dt.date(2026, 11, 11))
    assert ONTARIO.is_business_day(dt.date(2026, 11, 11))


def test_a_longer_promise_counts_only_business_days() -> None:
    # Fri 2026-04-03 is Good Friday in Ontario: five business days from Thursday 2 April.
    arrival = at(ONTARIO, 2026, 4, 2, 9, 0)

    assert ONTARIO.due_at(arrival, 5) == end_of_day(ONTARIO, 2026, 4, 10)


def test_business_days_between_counts_days_after_start_up_to_and_including_end() -> None:
    assert ONTARIO.business_days_between(dt.date(2026, 1, 9), dt.date(2026, 1, 12)) == 1
    assert ONTARIO.business_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 31)) == 3
    assert ONTARIO.business_days_between(dt.date(2026, 1, 12), dt.date(2026, 1, 12)) == 0


# ---- daylight saving time ------------------------------------------------------------------


def test_a_promise_over_the_spring_change_ends_at_five_daylight_time() -> None:
    # Friday 6 March 2026 is standard time (UTC-5); Monday 9 March is daylight time (UTC-4).
    due = ONTARIO.due_at(at(ONTARIO, 2026, 3, 6, 15, 0), 1)

    assert due == dt.datetime(2026, 3, 9, 21, 0, tzinfo=dt.UTC)


def test_a_promise_over_the_autumn_change_ends_at_five_standard_time() -> None:
    due = MASSACHUSETTS.due_at(at(MASSACHUSETTS, 2026, 10, 30, 15, 0), 1)

    assert due == dt.datetime(2026, 11, 2, 22, 0, tzinfo=dt.UTC)


def test_vancouver_promises_follow_pacific_daylight_changes() -> None:
    spring = BRITISH_COLUMBIA.due_at(at(BRITISH_COLUMBIA, 2026, 3, 6, 15, 0), 1)
    autumn = BRITISH_COLUMBIA.due_at(at(BRITISH_COLUMBIA, 2026, 10, 30, 15, 0), 1)

    assert spring == dt.datetime(2026, 3, 10, 0, 0, tzinfo=dt.UTC)
    assert autumn == dt.datetime(2026, 11, 3, 1, 0, tzinfo=dt.UTC)


def test_a_request_in_the_repeated_autumn_hour_counts_from_monday() -> None:
    # 01:30 on Sunday 1 November 2026 happens twice in Toronto; both count from Monday.
    first = dt.datetime(2026, 11, 1, 1, 30, tzinfo=ONTARIO.zone, fold=0)
    second = dt.datetime(2026, 11, 1, 1, 30, tzinfo=ONTARIO.zone, fold=1)

    assert ONTARIO.due_at(first, 0) == ONTARIO.due_at(second, 0) == end_of_day(ONTARIO, 2026, 11, 2)


# ---- properties ----------------------------------------------------------------------------

calendars = st.sampled_from(CALENDARS)
arrivals = st.datetimes(
    min_value=dt.datetime(2025, 1, 1),  # noqa: DTZ001  (hypothesis bounds are naive)
    max_value=dt.datetime(2028, 12, 31),  # noqa: DTZ001
    timezones=st.just(dt.UTC),
)
sla_days = st.integers(min_value=0, max_value=20)


def around(year: int, month: int, day: int) -> st.SearchStrategy[dt.datetime]:
    """Arrivals within four days either side of a daylight saving change."""
    centre = dt.datetime(year, month, day)  # noqa: DTZ001  (hypothesis bounds are naive)
    return st.datetimes(
        min_value=centre - dt.timedelta(days=4),
        max_value=centre + dt.timedelta(days=4),
        timezones=st.just(dt.UTC),
    )


arrivals_near_dst_changes = st.one_of(around(2026, 3, 8), around(2026, 11, 1))


def assert_is_a_proper_deadline(
    calendar: BusinessCalendar, arrival: dt.datetime, due: dt.datetime
) -> None:
    assert due.tzinfo is dt.UTC
    local = due.astimezone(zoneinfo.ZoneInfo(calendar.time_zone))
    assert local.time() == dt.time(17, 0)
    assert calendar.is_business_day(local.date())
    assert due > arrival


@settings(deadline=None)
@given(calendar=calendars, arrival=arrivals, days=sla_days)
def test_due_at_is_five_pm_local_on_a_business_day_after_the_arrival(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int
) -> None:
    assert_is_a_proper_deadline(calendar, arrival, calendar.due_at(arrival, days))


@settings(deadline=None)
@given(calendar=calendars, arrival=arrivals_near_dst_changes, days=st.integers(0, 5))
def test_due_at_stays_at_five_pm_local_across_daylight_saving_changes(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int
) -> None:
    assert_is_a_proper_deadline(calendar, arrival, calendar.due_at(arrival, days))


@settings(deadline=None)
@given(calendar=calendars, arrival=arrivals, days=sla_days)
def test_due_at_is_exactly_the_promised_number_of_business_days_after_the_first(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int
) -> None:
    due_day = calendar.due_at(arrival, days).astimezone(calendar.zone).date()
    start_day = calendar.first_business_day(arrival)

    assert calendar.business_days_between(start_day, due_day) == days


@settings(deadline=None)
@given(
    calendar=calendars,
    first=arrivals,
    gap=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=20)),
    days=sla_days,
)
def test_a_later_arrival_is_never_due_earlier(
    calendar: BusinessCalendar, first: dt.datetime, gap: dt.timedelta, days: int
) -> None:
    assert calendar.due_at(first, days) <= calendar.due_at(first + gap, days)


@settings(deadline=None)
@given(calendar=calendars, arrival=arrivals, days=sla_days, more=st.integers(1, 10))
def test_a_longer_promise_is_always_due_later(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int, more: int
) -> None:
    assert calendar.due_at(arrival, days) < calendar.due_at(arrival, days + more)


@settings(deadline=None)
@given(
    calendar=calendars,
    arrival=st.datetimes(
        min_value=dt.datetime(2026, 1, 1),  # noqa: DTZ001
        max_value=dt.datetime(2026, 12, 31),  # noqa: DTZ001
        timezones=st.sampled_from(
            [dt.UTC, zoneinfo.ZoneInfo("Europe/Paris"), zoneinfo.ZoneInfo("Asia/Tokyo")]
        ),
    ),
    days=sla_days,
)
def test_the_zone_an_arrival_is_given_in_does_not_matter(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int
) -> None:
    assert calendar.due_at(arrival, days) == calendar.due_at(arrival.astimezone(dt.UTC), days)
