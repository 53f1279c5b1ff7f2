"""Weekly availability: windows in a person's own time zone, compared as UTC week masks. Pure.

A supporter gives windows ("Tuesday 18:00-21:00") in their time zone; a person asking for
support ticks times of day that suit them ("weekday evenings") in theirs. Both become a mask of
the week's 56 three-hour blocks in UTC (bit n = hours 3n to 3n+3 after Monday 00:00 UTC), so
two people in different zones overlap when their masks share a bit. Offsets are taken on a
reference day, so a window keeps its local hours across a change to or from summer time.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils.translation import gettext_lazy as _

BLOCK_HOURS = 3
BLOCKS_PER_WEEK = 7 * 24 // BLOCK_HOURS  # 56: fits a 64-bit integer
WEEK_MINUTES = 7 * 24 * 60


class DayPart(models.TextChoices):
    """The times of the week a person asking for support can tick (their own time zone)."""

    WEEKDAY_MORNING = "weekday_morning", _("Weekday mornings (9 to 12)")
    WEEKDAY_AFTERNOON = "weekday_afternoon", _("Weekday afternoons (12 to 5)")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings (5 to 9)")
    WEEKEND_MORNING = "weekend_morning", _("Weekend mornings (9 to 12)")
    WEEKEND_AFTERNOON = "weekend_afternoon", _("Weekend afternoons (12 to 5)")
    WEEKEND_EVENING = "weekend_evening", _("Weekend evenings (5 to 9)")


_PART_HOURS = {"morning": (9, 12), "afternoon": (12, 17), "evening": (17, 21)}
_WEEKDAYS = (0, 1, 2, 3, 4)
_WEEKEND = (5, 6)


@dataclass(frozen=True)
class Window:
    """From `start` to `end` on one day of the week (0 = Monday), local time."""

    day: int
    start: dt.time
    end: dt.time

    def as_json(self) -> dict[str, object]:
        return {"day": self.day, "start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}"}


class WindowError(ValueError):
    pass


def parse_windows(value: object) -> list[Window]:
    """Windows from their stored form; raises WindowError naming what is wrong."""
    if not isinstance(value, list):
        raise WindowError(_("Availability must be a list of windows."))
    windows = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"day", "start", "end"}:
            raise WindowError(_("Each window needs a day, a start and an end."))
        day = item["day"]
        if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day <= 6:
            raise WindowError(_("A window's day must be from 0 (Monday) to 6 (Sunday)."))
        try:
            start = dt.time.fromisoformat(str(item["start"]))
            end = dt.time.fromisoformat(str(item["end"]))
        except ValueError as error:
            raise WindowError(_("Give times as hours and minutes, like 18:30.")) from error
        if end <= start and end != dt.time(0, 0):
            raise WindowError(_("A window must end after it starts."))
        windows.append(Window(day=day, start=start, end=end))
    return windows


def windows_for_day_parts(parts: Iterable[str]) -> list[Window]:
    """The windows a person means by the times of day they ticked."""
    windows = []
    for part in parts:
        days_name, _sep, time_name = part.partition("_")
        days = _WEEKDAYS if days_name == "weekday" else _WEEKEND
        first, last = _PART_HOURS[time_name]
        windows += [Window(day, dt.time(first), dt.time(last)) for day in days]
    return windows


def _minutes(moment: dt.time) -> int:
    return moment.hour * 60 + moment.minute


def week_mask(windows: Iterable[Window], zone: ZoneInfo, reference: dt.datetime) -> int:
    """The UTC three-hour blocks a set of local windows touches; 0 when there are none."""
    offset = reference.astimezone(zone).utcoffset()
    offset_minutes = int(offset.total_seconds() // 60) if offset else 0
    mask = 0
    block_minutes = BLOCK_HOURS * 60
    for window in windows:
        start = window.day * 24 * 60 + _minutes(window.start) - offset_minutes
        end_of_day = _minutes(window.end) or 24 * 60
        end = window.day * 24 * 60 + end_of_day - offset_minutes
        first_block = start // block_minutes
        last_block = (end - 1) // block_minutes
        for block in range(first_block, last_block + 1):
            mask |= 1 << (block % BLOCKS_PER_WEEK)
    return mask
