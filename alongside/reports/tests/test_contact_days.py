"""The contacts counted by day are the contacts: for any contacts in any zones, logged, changed
and deleted in any order, and any period, the dashboard's contacts by month equal a count of the
contacts themselves made by hand (in Python, each read in its program's zone)."""

import datetime as dt
import itertools
import zoneinfo
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.matches.factories import ContactLogFactory, MatchFactory
from alongside.matches.models import ContactLog, Match
from alongside.periodic.runner import run_job
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import Program
from alongside.reports.contact_days import counted_by_month, uncounted_programs
from alongside.reports.figures.matches import matches_by_month
from alongside.reports.jobs import count_contact_days
from alongside.reports.models import ContactDay
from alongside.reports.periods import Period

ZONES = ["America/Toronto", "America/Vancouver", "America/St_Johns", "America/Regina"]
# Around the spring's change of clocks and two months' ends.
FIRST_DAY = dt.date(2026, 1, 20)
DAYS = 80
counter = itertools.count()

# Often the first of a month (in UTC) before dawn: still the month before in the programs' zones.
FIRSTS = [12, 40, 71]  # 1 February, 1 March, 1 April
contact = st.tuples(
    st.integers(0, 1),  # which program
    st.one_of(st.integers(0, DAYS - 1), st.sampled_from(FIRSTS)),  # day
    st.one_of(st.integers(0, 24 * 60 - 1), st.integers(0, 8 * 60)),  # minute of the day, UTC
    st.booleans(),  # made, or an attempt
    st.integers(1, 120),  # minutes
)
change = st.tuples(st.sampled_from(["move", "lengthen", "unmake", "delete"]), st.integers(0, 10**6))


def moment(day: int, minute: int) -> dt.datetime:
    start = dt.datetime.combine(FIRST_DAY, dt.time(), tzinfo=dt.UTC)
    return start + dt.timedelta(days=day, minutes=minute)


def by_hand(programs: list[Program], period: Period) -> list[tuple[int, int]]:
    """Contacts made and their minutes in each month of the period, one contact at a time."""
    counted: Counter[tuple[dt.date, str]] = Counter()
    for program in programs:
        zone = zoneinfo.ZoneInfo(program.time_zone)
        for made in ContactLog.objects.filter(match__program=program, was_made=True):
            day = made.occurred_at.astimezone(zone).date()
            if period.start <= day <= period.end:
                counted[(day.replace(day=1), "contacts")] += 1
                counted[(day.replace(day=1), "minutes")] += made.minutes
    return [(counted[(month, "contacts")], counted[(month, "minutes")]) for month in period.months]


def shown(programs: list[Program], period: Period) -> list[tuple[int, int]]:
    fresh = list(Program.objects.filter(pk__in=[program.pk for program in programs]))
    months = matches_by_month(programs=fresh, period=period).months
    return [(month.contacts, month.contact_minutes) for month in months]


def change_contact(contact_log: ContactLog, what: str, seed: int) -> None:
    if what == "delete":
        contact_log.delete()
        return
    if what == "move":
        contact_log.occurred_at += dt.timedelta(minutes=seed % (3 * 24 * 60) - 24 * 60)
    elif what == "lengthen":
        contact_log.minutes = 1 + seed % 200
    else:
        contact_log.was_made = not contact_log.was_made
    contact_log.save()


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    zones=st.tuples(st.sampled_from(ZONES), st.sampled_from(ZONES)),
    contacts=st.lists(contact, max_size=30),
    changes=st.lists(change, max_size=4),
    later=st.lists(contact, max_size=6),
    moved_to=st.sampled_from(ZONES),
    bounds=st.tuples(st.integers(0, DAYS - 1), st.integers(0, DAYS - 1)),
)
def test_the_counted_contacts_equal_the_contacts_counted_by_hand(
    zones, contacts, changes, later, moved_to, bounds
):
    programs = [ProgramFactory(slug=f"counted-{next(counter)}", time_zone=zone) for zone in zones]
    matches = [
        MatchFactory(program=program, started_at=moment(0, 0) - dt.timedelta(days=30))
        for program in programs
    ]
    first, last = sorted(bounds)
    period = Period(FIRST_DAY + dt.timedelta(days=first), FIRST_DAY + dt.timedelta(days=last))

    def log(chosen: list[tuple[int, int, int, bool, int]]) -> None:
        for which, day, minute, made, minutes in chosen:
            ContactLogFactory(
                match=matches[which],
                occurred_at=moment(day, minute),
                was_made=made,
                minutes=minutes,
            )

    # Logged: read from the contacts until the job counts them, then from their days.
    log(contacts)
    assert shown(programs, period) == by_hand(programs, period)
    assert counted_by_month(programs, period).uncounted == programs
    run_job(count_contact_days)
    assert counted_by_month(programs, period).uncounted == []
    assert shown(programs, period) == by_hand(programs, period)
    # Changed and deleted: those programs are counted from their contacts until counted again.
    for what, seed in changes:
        logged = list(ContactLog.objects.filter(match__in=matches).order_by("pk"))
        if logged:
            change_contact(logged[seed % len(logged)], what, seed)
    assert shown(programs, period) == by_hand(programs, period)
    # A program moved to another zone: its days are that zone's.
    Program.objects.filter(pk=programs[0].pk).update(time_zone=moved_to)
    programs[0].refresh_from_db()
    assert shown(programs, period) == by_hand(programs, period)
    # Counted afresh by the periodic job, then logged on.
    run_job(count_contact_days)
    assert counted_by_month(programs, period).uncounted == []
    log(later)
    assert shown(programs, period) == by_hand(programs, period)
    assert counted_by_month(programs, period).uncounted == []


def test_a_counted_program_is_read_from_its_days_not_its_contacts(db: None) -> None:
    program = ProgramFactory(slug="read-days", time_zone="America/Vancouver")
    match = MatchFactory(program=program, started_at=moment(0, 0))
    ContactLogFactory(match=match, occurred_at=moment(10, 600), minutes=30)
    run_job(count_contact_days)
    period = Period(FIRST_DAY, FIRST_DAY + dt.timedelta(days=DAYS))

    with CaptureQueriesContext(connection) as captured:
        figure = matches_by_month(programs=[program], period=period)

    assert sum(month.contacts for month in figure.months) == 1
    assert not [query for query in captured if "matches_contactlog" in query["sql"]]
    assert len(captured) == 3


def test_a_program_is_uncounted_until_the_job_counts_it_once(db: None) -> None:
    program = ProgramFactory(slug="never-counted")
    match = MatchFactory(program=program, started_at=moment(0, 0))
    ContactLogFactory(match=match, occurred_at=moment(5, 600), minutes=20)
    ContactLogFactory(match=match, occurred_at=moment(5, 700), minutes=25)
    ContactDay.objects.filter(program=program).delete()  # as before the counts were kept

    assert list(uncounted_programs(moment(6, 0))) == [program]
    first = run_job(count_contact_days)
    again = run_job(count_contact_days)

    assert (first.changed, again.changed) == (1, 0)
    assert list(uncounted_programs(moment(6, 0))) == []
    day = ContactDay.objects.get(program=program, day__isnull=False)
    assert (day.day, day.contacts, day.minutes) == (dt.date(2026, 1, 25), 2, 45)


def test_deleting_a_match_uncounts_its_program(db: None) -> None:
    program = ProgramFactory(slug="match-deleted")
    match = MatchFactory(program=program, started_at=moment(0, 0))
    ContactLogFactory(match=match, occurred_at=moment(5, 600))

    Match.objects.filter(pk=match.pk).delete()

    assert list(uncounted_programs(moment(6, 0))) == [program]


def test_a_contact_added_to_a_counted_program_is_counted_on_its_programs_day(db: None) -> None:
    program = ProgramFactory(slug="evening", time_zone="America/Toronto")
    match = MatchFactory(program=program, started_at=moment(0, 0) - dt.timedelta(days=30))
    ContactLogFactory(match=match, occurred_at=moment(1, 600), minutes=10)
    run_job(count_contact_days)  # the program counted, as the worker leaves it
    # 22:00 on 31 January in Toronto: 1 February in UTC.
    ContactLogFactory(
        match=match, occurred_at=dt.datetime(2026, 2, 1, 3, tzinfo=dt.UTC), minutes=20
    )

    figure = matches_by_month(
        programs=[program], period=Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))
    )

    assert [(month.contacts, month.contact_minutes) for month in figure.months] == [(2, 30), (0, 0)]
    assert (
        counted_by_month([program], Period(dt.date(2026, 1, 1), dt.date(2026, 2, 28))).uncounted
        == []
    )
