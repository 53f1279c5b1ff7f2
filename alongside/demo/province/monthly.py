"""With a history: the monthly hours reports, as the month-end job opens them and supporters
confirm them.

A report is owed by each supporter for each ended month in which a match of theirs was open
(matches/hours.py `supporters_due_a_report`), pre-filled from the contacts they logged in it, in
the program's zone (`prefill_for`). The program asked for them from some month on: the most
recent `count` are written. Nearly all are confirmed, most as logged; last month's half.
"""

import datetime as dt
from collections import Counter, defaultdict

from alongside.core.calendar import add_months
from alongside.demo.province.programs import ProvinceProgram
from alongside.demo.province.supporters import bulk
from alongside.demo.shared import Seeder
from alongside.matches.hours import REMINDER_DAYS, first_of_next_month, report_month
from alongside.matches.models import ContactLog, HoursReport, Match

Key = tuple[int, dt.date]  # a supporter and a month


def add_monthly_reports(seeder: Seeder, place: ProvinceProgram, count: int) -> int:
    """The program's `count` most recent reports owed (fewer when fewer are owed)."""
    program = place.program
    last = report_month(program, seeder.now)
    owed: set[Key] = set()
    for supporter_id, started_at, closed_at in Match.objects.filter(program=program).values_list(
        "supporter_id", "started_at", "closed_at"
    ):
        month = program.calendar.today(started_at).replace(day=1)
        until = min(last, program.calendar.today(closed_at).replace(day=1)) if closed_at else last
        while month <= until:
            owed.add((supporter_id, month))
            month = add_months(month, 1)
    logged: dict[Key, Counter[str]] = defaultdict(Counter)
    minutes: Counter[Key] = Counter()
    contacts = ContactLog.objects.filter(match__program=program, was_made=True).values_list(
        "match__supporter_id", "occurred_at", "minutes", "method"
    )
    for supporter_id, occurred_at, spent, method in contacts.iterator(chunk_size=5000):
        key = (supporter_id, program.calendar.today(occurred_at).replace(day=1))
        logged[key][method] += 1
        minutes[key] += spent
    chosen = sorted(owed, key=lambda key: (key[1], key[0]), reverse=True)[:count]
    bulk(_report(seeder, place, key, minutes[key], logged[key], last) for key in chosen)
    return len(chosen)


def _report(
    seeder: Seeder,
    place: ProvinceProgram,
    key: Key,
    minutes: int,
    methods: Counter[str],
    last: dt.date,
) -> HoursReport:
    supporter_id, month = key
    rng = seeder.rng
    confirmed = rng.random() < (0.5 if month == last else 0.93)
    extra = rng.choice((0, 0, 0, 15, 30, 60)) if confirmed else 0
    return HoursReport(
        program=place.program,
        supporter_id=supporter_id,
        month=month,
        logged_minutes=minutes,
        logged_contacts=methods.total(),
        logged_methods=dict(methods),
        confirmed_minutes=minutes + extra if confirmed else None,
        confirmed_contacts=methods.total() if confirmed else None,
        confirmed_at=min(
            seeder.now - dt.timedelta(hours=1),
            dt.datetime.combine(first_of_next_month(month), dt.time(18), tzinfo=dt.UTC)
            + dt.timedelta(days=rng.randint(0, 9)),
        )
        if confirmed
        else None,
        reminded_after_days=0 if confirmed or month == last else REMINDER_DAYS[-1],
    )
