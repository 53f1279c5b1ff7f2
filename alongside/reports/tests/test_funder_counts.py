"""The funder report's own counts, against worlds counted by hand (program A keeps Toronto time;
the period is the first quarter of 2026)."""

import datetime as dt
import zoneinfo

import pytest

from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.models import AttendanceStatus, SessionKind
from alongside.intake.factories import PeerFactory
from alongside.matches.factories import HoursReportFactory, MatchFactory
from alongside.matches.models import MatchStatus
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Gender, TrainingModule
from alongside.reports.funder import counts
from alongside.reports.periods import Period
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import (
    Supporter,
    SupporterStatus,
    TrainingRecord,
    WithdrawalReason,
)

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
Q1 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def at(day: str, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=TORONTO)


def match(program, *, started: str, closed: str | None = None, **fields):
    return MatchFactory(
        program=program,
        started_at=at(started),
        closed_at=at(closed) if closed else None,
        status=MatchStatus.CLOSED if closed else MatchStatus.ACTIVE,
        **fields,
    )


def test_people_supported_counts_each_person_with_a_match_open_in_the_period_once(program_a):
    for gender in (Gender.WOMAN, Gender.WOMAN, Gender.MAN):
        match(program_a, started="2026-02-01", request__gender=gender)
    match(program_a, started="2025-06-01", closed="2026-01-15", request__gender=Gender.UNSAID)
    twice = PeerFactory(program=program_a)
    match(program_a, started="2026-01-05", closed="2026-01-20", request__peer=twice)
    match(program_a, started="2026-02-10", request__peer=twice, request__gender=Gender.MAN)
    # Not in the period: closed before it, started after it (31 March 23:30 is in it).
    match(program_a, started="2025-01-01", closed="2025-12-31")
    match(program_a, started="2026-04-01", request__gender=Gender.WOMAN)
    MatchFactory(program=program_a, started_at=at("2026-03-31", 23), request__gender=Gender.WOMAN)

    people = counts.people_supported(programs=[program_a], period=Q1, demographics=["gender"])

    assert people.total == 6
    # The person matched twice counts once, with their latest request's answer.
    assert people.groups["gender"] == {"woman": 3, "man": 2, "not_said": 1}


def test_people_are_grouped_by_age_site_and_way_in(program_a):
    north = SiteFactory(program=program_a, name="North Hospital")
    match(program_a, started="2026-02-01", request__birth_year=2005, request__site=north)
    match(program_a, started="2026-02-01", request__birth_year=2001, request__site=north)
    match(program_a, started="2026-02-01", request__birth_year=1960)
    match(program_a, started="2026-02-01", request__birth_year=None)

    people = counts.people_supported(
        programs=[program_a], period=Q1, demographics=["age_group", "site", "source"]
    )

    assert people.groups["age_group"] == {"under_25": 1, "25_44": 1, "65_plus": 1, "not_said": 1}
    assert people.groups["site"] == {"North Hospital": 2, "not_said": 2}
    assert people.groups["source"] == {"public_form": 4}


def test_supporters_recruited_trained_and_active_in_the_period(program_a):
    joined = [SupporterFactory(program=program_a) for _ in range(3)]
    Supporter.objects.filter(pk__in=[s.pk for s in joined[:2]]).update(created_at=at("2026-02-02"))
    Supporter.objects.filter(pk=joined[2].pk).update(created_at=at("2025-11-02"))
    module = TrainingModule.objects.create(program=program_a, name="Boundaries")
    for supporter, day in ((joined[0], "2026-03-01"), (joined[1], "2025-12-01")):
        TrainingRecord.objects.create(
            supporter=supporter,
            module=module,
            completed_on=dt.date.fromisoformat(day),
            recorded_at=at(day),
        )
    match(program_a, started="2026-01-10", supporter=joined[2])
    match(program_a, started="2026-02-10", supporter=joined[2])
    match(program_a, started="2025-01-10", closed="2025-02-01", supporter=joined[1])

    found = counts.supporter_counts(programs=[program_a], period=Q1)

    assert (found.recruited, found.trained, found.active) == (2, 1, 1)


def test_supporters_who_withdrew_in_the_period_are_counted_by_their_main_reason(
    program_a, program_b
):
    for reason, day in (
        (WithdrawalReason.TIME, "2026-01-05"),
        (WithdrawalReason.TIME, "2026-03-31"),
        (WithdrawalReason.BURNOUT, "2026-02-14"),
        (WithdrawalReason.NOT_RECORDED, "2026-02-01"),
        ("", "2026-03-02"),  # withdrawn before reasons were asked, never filled: not recorded
        (WithdrawalReason.MOVED, "2025-12-31"),  # the quarter before
        (WithdrawalReason.MOVED, "2026-04-01"),  # the quarter after
    ):
        SupporterFactory(
            program=program_a,
            status=SupporterStatus.WITHDRAWN,
            withdrawal_reason=reason,
            status_changed_at=at(day, 23),  # late evening in Toronto: the next day in UTC
        )
    SupporterFactory(
        program=program_b,
        status=SupporterStatus.WITHDRAWN,
        withdrawal_reason=WithdrawalReason.OTHER,
        status_changed_at=at("2026-02-01"),
    )
    SupporterFactory(
        program=program_a, status=SupporterStatus.ALUMNI, status_changed_at=at("2026-02-01")
    )

    found = counts.supporter_counts(programs=[program_a], period=Q1)

    assert found.withdrew == {
        "time": 2,
        "own_health": 0,
        "moved": 0,
        "not_a_fit": 0,
        "burnout": 1,
        "other": 0,
        "not_recorded": 2,
    }


def test_hours_givers_counts_volunteers_and_paid_workers_who_gave_hours_in_the_period(program_a):
    paid = SupporterFactory(program=program_a, is_paid=True)
    volunteers = [SupporterFactory(program=program_a) for _ in range(2)]
    for month in (dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        HoursReportFactory(supporter=paid, month=month)
        HoursReportFactory(supporter=volunteers[0], month=month)
    HoursReportFactory(supporter=volunteers[1], month=dt.date(2026, 4, 1))
    HoursReportFactory(
        supporter=SupporterFactory(program=program_a), month=dt.date(2026, 3, 1), logged_minutes=0
    )

    assert counts.hours_givers(programs=[program_a], period=Q1) == {"volunteer": 1, "paid": 1}


def test_groups_count_sessions_held_attendances_and_people_by_kind(program_a):
    sam, alex = (SupporterFactory(program=program_a) for _ in range(2))
    for day in ("2026-01-10", "2026-02-10"):
        session = GroupSessionFactory(
            program=program_a, kind=SessionKind.CHECK_IN, starts_at=at(day)
        )
        for supporter in (sam, alex):
            AttendanceFactory(
                session=session, supporter=supporter, status=AttendanceStatus.ATTENDED
            )
    absent = GroupSessionFactory(
        program=program_a, kind=SessionKind.PEER_GROUP, starts_at=at("2026-03-03")
    )
    AttendanceFactory(session=absent, supporter=sam, status=AttendanceStatus.ABSENT)
    GroupSessionFactory(
        program=program_a,
        kind=SessionKind.WORKSHOP,
        starts_at=at("2026-03-04"),
        cancelled_at=at("2026-03-01"),
        cancellation_reason="Snow storm",
    )
    GroupSessionFactory(program=program_a, kind=SessionKind.WORKSHOP, starts_at=at("2026-04-04"))

    found = {kind.kind: kind for kind in counts.group_counts(programs=[program_a], period=Q1)}

    assert (
        found["check_in"].sessions,
        found["check_in"].attendances,
        found["check_in"].people,
    ) == (2, 4, 2)
    assert (found["peer_group"].sessions, found["peer_group"].attendances) == (1, 0)
    assert found["workshop"].sessions == 0
