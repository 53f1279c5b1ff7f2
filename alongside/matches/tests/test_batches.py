"""The matches app's periodic jobs, batched, write what they write one item at a time."""

import datetime as dt

import pytest
import time_machine
from django.db import transaction

from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.matches import alerts, jobs
from alongside.matches.factories import ContactLogFactory, HoursReportFactory, MatchFactory
from alongside.matches.hours import reports_to_remind
from alongside.matches.models import HoursReport, MatchEvent, MatchEventKind, NoContactAlert
from alongside.periodic.runner import run_job
from alongside.periodic.tests.both_ways import both_ways
from alongside.programs.models import ContactMethod
from alongside.supporters.factories import SupporterFactory

TORONTO = dt.timezone(dt.timedelta(hours=-5))


def at(year: int, month: int, day: int, hour: int = 12) -> dt.datetime:
    return dt.datetime(year, month, day, hour, 0, tzinfo=TORONTO)


@pytest.fixture
def world(program_a, program_b, coordinator_a, coordinator_b):
    """Matches in two programs, their supporters in two languages, contacts over two months."""
    user_with_role(Role.COORDINATOR, program_a, language="fr-ca", time_zone="America/Vancouver")
    program_b.time_zone = "America/Vancouver"
    program_b.save()
    matches = []
    for number in range(12):
        program = program_a if number % 3 else program_b
        user = UserFactory(language="fr-ca" if number % 2 else "en")
        supporter = SupporterFactory(program=program, user=user)
        with time_machine.travel(at(2025, 12, 1 + number), tick=False):
            matches.append(MatchFactory(program=program, supporter=supporter))
    for number, match in enumerate(matches[:8]):
        for day in range(1, 1 + number):
            ContactLogFactory(
                match=match,
                occurred_at=at(2026, 1, 3 * day, 20),
                minutes=15 * day,
                method=ContactMethod.VIDEO if day % 2 else ContactMethod.PHONE,
                was_made=day != 4,
            )
    MatchEvent.objects.create(match=matches[9], kind=MatchEventKind.RESUMED, at=at(2026, 1, 25))
    return matches


def test_opening_the_months_reports_in_a_batch_equals_one_supporter_at_a_time(world):
    HoursReportFactory(supporter=world[4].supporter, month=dt.date(2026, 1, 1))

    batched, one_by_one = both_ways(jobs.open_monthly_hours_reports, at(2026, 2, 1, 5), HoursReport)

    assert batched == one_by_one
    assert batched.summary.changed == 11
    reports = batched.rows["HoursReport"]
    assert {report["logged_methods"].get("video", 0) for report in reports} == {0, 1, 2, 3, 4}


def test_reminding_missing_reports_in_a_batch_equals_one_report_at_a_time(world):
    run_job(jobs.open_monthly_hours_reports, now=at(2026, 2, 1, 5))
    run_job(jobs.remind_missing_hours_reports, now=at(2026, 2, 4, 5))

    batched, one_by_one = both_ways(
        jobs.remind_missing_hours_reports, at(2026, 2, 8, 5), HoursReport
    )

    assert batched == one_by_one
    assert batched.summary.changed == 12
    assert {report["reminded_after_days"] for report in batched.rows["HoursReport"]} == {7}


def test_a_report_reminded_is_no_longer_due_until_its_next_reminder(world):
    run_job(jobs.open_monthly_hours_reports, now=at(2026, 2, 1, 5))
    assert run_job(jobs.remind_missing_hours_reports, now=at(2026, 2, 4, 5)).done == 12

    assert not reports_to_remind(at(2026, 2, 6, 5)).exists()
    assert reports_to_remind(at(2026, 2, 9, 5)).count() == 12


def test_no_contact_alerts_in_a_batch_equal_one_match_at_a_time(world):
    now = at(2026, 1, 24)
    run_job(jobs.check_no_contact, now=at(2026, 1, 17))

    batched, one_by_one = both_ways(jobs.check_no_contact, now, NoContactAlert)

    assert batched == one_by_one
    stages = [alert["stage"] for alert in batched.rows["NoContactAlert"]]
    assert "escalated" in stages
    assert batched.summary.changed > 0


def test_the_silent_matches_due_are_those_the_check_would_alert(world):
    active = [match.pk for match in world]
    sizes = []
    for days in (13, 16, 20, 26, 33, 40, 47, 55, 62, 70):
        now = at(2025, 12, 1, 9) + dt.timedelta(days=days)
        savepoint = transaction.savepoint_create()
        alerted = {pk for pk in active if alerts.check_no_contact(pk, now)}
        transaction.savepoint_rollback(savepoint)

        assert set(alerts.silent_matches(now).values_list("pk", flat=True)) == alerted, now
        run_job(jobs.check_no_contact, now=now)
        sizes.append(len(alerted))

    assert any(0 < size < len(active) for size in sizes), sizes
