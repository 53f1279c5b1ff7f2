"""Business days of a program's region, on the `holidays` package.

An SLA of N business days means: by the end of the Nth business day after the day the request
counts as arriving, in the program's time zone. A request that arrives after the business day
ends, on a weekend or on a holiday counts as arriving on the next business day; an SLA of 0
means the end of that same business day.

A program's day ("today", "before today", "due on") is always its own: `calendar.today()`, or
`today_in(zone)` for a zone alone. Never the server's (UTC) day, nor the viewer's, which between
them differ from the program's for hours every night.
"""

import datetime as dt
import zoneinfo
from calendar import monthrange
from dataclasses import dataclass, field
from functools import cache

import holidays
from django.utils import timezone


@cache
def _holidays_for(country: str, subdivision: str, year: int) -> holidays.HolidayBase:
    return holidays.country_holidays(country, subdiv=subdivision or None, years=year)


def today_in(time_zone: str, now: dt.datetime | None = None) -> dt.date:
    """The day it is (at `now`, else now) in the named time zone."""
    return timezone.localdate(now or timezone.now(), zoneinfo.ZoneInfo(time_zone))


@dataclass(frozen=True)
class BusinessCalendar:
    country: str
    subdivision: str
    time_zone: str
    day_ends_at: dt.time = dt.time(17, 0)
    weekend: frozenset[int] = field(default=frozenset({5, 6}))

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The program's day at `now` (else now): what "today" means for its rules and SLAs."""
        return today_in(self.time_zone, now)

    def holiday_name(self, day: dt.date) -> str | None:
        name = _holidays_for(self.country, self.subdivision, day.year).get(day)
        return str(name) if name else None

    def is_business_day(self, day: dt.date) -> bool:
        return day.weekday() not in self.weekend and self.holiday_name(day) is None

    def next_business_day(self, day: dt.date) -> dt.date:
        day += dt.timedelta(days=1)
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The business day that comes `count` business days after `day`."""
        for _ in range(count):
            day = self.next_business_day(day)
        return day

    def first_business_day(self, moment: dt.datetime) -> dt.date:
        """The business day a moment counts as: the next one if it falls after hours or off."""
        local = moment.astimezone(self.zone)
        if self.is_business_day(local.date()) and local.time() < self.day_ends_at:
            return local.date()
        return self.next_business_day(local.date())

    def due_at(self, received_at: dt.datetime, business_days: int) -> dt.datetime:
        """When a promise of `business_days` made at `received_at` falls due (aware, UTC)."""
        due_day = self.add_business_days(self.first_business_day(received_at), business_days)
        due_local = dt.datetime.combine(due_day, self.day_ends_at, tzinfo=self.zone)
        return due_local.astimezone(dt.UTC)

    def holidays_between(self, start: dt.date, end: dt.date) -> list[tuple[dt.date, str]]:
        """The public holidays from `start` to `end`, both included, with their names."""
        found = []
        day = start
        while day <= end:
            name = self.holiday_name(day)
            if name is not None:
                found.append((day, name))
            day += dt.timedelta(days=1)
        return found

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end`."""
        days = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                days += 1
        return days


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it is shorter (31 Jan + 1)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, monthrange(year, month)[1]))
