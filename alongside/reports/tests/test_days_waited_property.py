"""Business days waited, read from each day's count of business days so far, equal the
calendar's own count day by day, for any arrival and match days around holidays and weekends."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from alongside.core.calendar import BusinessCalendar
from alongside.reports.figures.requests import business_days_waited, days_waited_counter

FIRST = dt.date(2025, 12, 15)  # Christmas, Boxing Day, New Year's Day, Family Day follow
CALENDARS = [
    BusinessCalendar(country="CA", subdivision="ON", time_zone="America/Toronto"),
    BusinessCalendar(country="CA", subdivision="BC", time_zone="America/Vancouver"),
    BusinessCalendar(country="CA", subdivision="QC", time_zone="America/Toronto"),
]


@given(
    calendar=st.sampled_from(CALENDARS),
    pairs=st.lists(st.tuples(st.integers(0, 90), st.integers(0, 90)), min_size=1, max_size=20),
)
def test_days_waited_equal_the_calendars_count_day_by_day(calendar, pairs):
    days = [
        (FIRST + dt.timedelta(days=arrived), FIRST + dt.timedelta(days=started))
        for arrived, started in pairs
    ]
    waited = days_waited_counter(
        calendar, min(arrived for arrived, _ in days), max(started for _, started in days)
    )

    assert [waited(arrived, started) for arrived, started in days] == [
        business_days_waited(calendar, arrived, started) for arrived, started in days
    ]
