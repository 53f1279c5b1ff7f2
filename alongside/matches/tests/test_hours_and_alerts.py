"""Monthly hours reports and no-contact alerts: the periodic work, in each program's zone."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.matches import jobs
from alongside.matches.factories import ContactLogFactory, HoursReportFactory, MatchFactory
from alongside.matches.hours import confirm_hours_report
from alongside.matches.models import ClosureReason, HoursReport, NoContactAlert, NoContactStage
from alongside.matches.queries import band_for, missing_hours_reports, silent_matches
from alongside.matches.services import closure, contacts, lifecycle
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import ContactMethod

TORONTO = dt.timezone(dt.timedelta(hours=-5))  # EST, for readable moments in January/February


def at(year, month, day, hour=12):
    return dt.datetime(year, month, day, hour, 0, tzinfo=TORONTO)


@pytest.fixture
def january_match(program_a, supporter_a, ms):
    with time_machine.travel(at(2026, 1, 5), tick=False):
        return MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)


def contact(match, when, minutes=45, method=ContactMethod.PHONE, was_made=True):
    return ContactLogFactory(
        match=match, occurred_at=when, minutes=minutes, method=method, was_made=was_made
    )


# ---- monthly hours -------------------------------------------------------------------------


def test_at_the_months_end_each_supporter_gets_a_report_prefilled_from_their_contacts(
    january_match, supporter_a
):
    contact(january_match, at(2026, 1, 8), minutes=60)
    contact(january_match, at(2026, 1, 20), minutes=30, method=ContactMethod.VIDEO)
    contact(january_match, at(2026, 1, 22), minutes=0, was_made=False)
    contact(january_match, at(2026, 2, 2), minutes=90)  # February: not in January's report

    with time_machine.travel(at(2026, 2, 1, 1), tick=False):
        opened = run_job(jobs.open_monthly_hours_reports).changed

    assert opened == 1
    report = HoursReport.objects.get()
    assert (report.supporter, report.month) == (supporter_a, dt.date(2026, 1, 1))
    assert (report.logged_minutes, report.logged_contacts) == (90, 2)
    assert report.logged_methods == {"phone": 1, "video": 1}
    told = OutboxMessage.objects.filter(recipient=supporter_a.user)
    assert {message.channel for message in told} == {Channel.EMAIL, Channel.IN_APP}


def test_the_month_ends_at_midnight_in_the_programs_zone_not_utc(january_match):
    # 31 January 22:00 in Toronto is already 1 February in UTC.
    contact(january_match, at(2026, 1, 31, 22), minutes=40)

    with time_machine.travel(at(2026, 2, 1, 1), tick=False):
        run_job(jobs.open_monthly_hours_reports)

    assert HoursReport.objects.get().logged_minutes == 40


def test_opening_reports_twice_opens_and_tells_once(january_match):
    with time_machine.travel(at(2026, 2, 1, 1), tick=False):
        assert run_job(jobs.open_monthly_hours_reports).changed == 1
        assert run_job(jobs.open_monthly_hours_reports).changed == 0

    assert HoursReport.objects.count() == 1
    assert OutboxMessage.objects.filter(subject__isnull=False).count() == 2


def test_a_supporter_whose_match_closed_before_the_month_gets_no_report(
    january_match, coordinator_a
):
    with time_machine.travel(at(2026, 1, 20), tick=False):
        closure.close_match(
            match=january_match,
            closed_by=coordinator_a,
            reason=ClosureReason.COMPLETED,
            note="",
            checkin_method="call",
            heard_from_peer=True,
            heard_from_supporter=True,
            checkin_notes="",
        )

    with time_machine.travel(at(2026, 3, 1, 1), tick=False):
        assert run_job(jobs.open_monthly_hours_reports).changed == 0


def test_the_supporter_confirms_or_adjusts_their_hours(january_match, supporter_a):
    with time_machine.travel(at(2026, 2, 1, 1), tick=False):
        run_job(jobs.open_monthly_hours_reports)
    report = HoursReport.objects.get()

    confirmed = confirm_hours_report(
        report=report,
        by=supporter_a.user,
        hours=Decimal("2.5"),
        contacts=3,
        anything_to_know="One call was not logged.",
    )

    assert confirmed.is_confirmed
    assert (confirmed.confirmed_minutes, confirmed.confirmed_contacts) == (150, 3)
    assert confirmed.anything_to_know == "One call was not logged."


def test_only_the_supporter_confirms_their_hours_and_only_once(
    january_match, supporter_a, coordinator_a
):
    report = HoursReportFactory(supporter=supporter_a)
    arguments = {"hours": Decimal(2), "contacts": 2, "anything_to_know": ""}
    with pytest.raises(DomainError, match="Only the supporter"):
        confirm_hours_report(report=report, by=coordinator_a, **arguments)

    confirm_hours_report(report=report, by=supporter_a.user, **arguments)
    with pytest.raises(DomainError, match="already confirmed"):
        confirm_hours_report(report=report, by=supporter_a.user, **arguments)


def test_hours_without_any_contact_are_refused(supporter_a):
    with pytest.raises(DomainError, match="how many contacts"):
        confirm_hours_report(
            report=HoursReportFactory(supporter=supporter_a),
            by=supporter_a.user,
            hours=Decimal(3),
            contacts=0,
            anything_to_know="",
        )


def test_the_band_says_below_within_or_above_the_programs_expected_hours(supporter_a):
    # The program expects 2 to 4 hours a month.
    assert band_for(HoursReportFactory(supporter=supporter_a, logged_minutes=60)) == "below"
    assert band_for(HoursReportFactory.build(supporter=supporter_a, logged_minutes=180)) == "within"
    assert band_for(HoursReportFactory.build(supporter=supporter_a, logged_minutes=300)) == "above"


def test_missing_reports_are_reminded_on_schedule_and_once_each(january_match, supporter_a):
    with time_machine.travel(at(2026, 2, 1, 1), tick=False):
        run_job(jobs.open_monthly_hours_reports)
        assert run_job(jobs.remind_missing_hours_reports).changed == 0
    with time_machine.travel(at(2026, 2, 4), tick=False):
        run_job(jobs.remind_missing_hours_reports)
        run_job(jobs.remind_missing_hours_reports)
    with time_machine.travel(at(2026, 2, 9), tick=False):
        run_job(jobs.remind_missing_hours_reports)

    reminders = OutboxMessage.objects.filter(
        recipient=supporter_a.user, idempotency_key__contains="reminder"
    )
    assert sorted(message.idempotency_key.split(":")[0] for message in reminders) == [
        "matches.hours_report.reminder.3",
        "matches.hours_report.reminder.3",
        "matches.hours_report.reminder.7",
        "matches.hours_report.reminder.7",
    ]


def test_a_confirmed_report_is_not_reminded_nor_in_the_follow_up_queue(
    january_match, supporter_a, coordinator_a
):
    report = HoursReportFactory(supporter=supporter_a)
    assert list(missing_hours_reports(coordinator_a)) == [report]
    confirm_hours_report(
        report=report, by=supporter_a.user, hours=Decimal(2), contacts=2, anything_to_know=""
    )

    assert run_job(jobs.remind_missing_hours_reports).changed == 0
    assert list(missing_hours_reports(coordinator_a)) == []


def test_the_follow_up_queue_shows_only_the_coordinators_programs(supporter_a, coordinator_b):
    HoursReportFactory(supporter=supporter_a)

    assert list(missing_hours_reports(coordinator_b)) == []


# ---- no-contact alerts ---------------------------------------------------------------------


def test_no_contact_for_the_programs_days_nudges_the_supporter_once(january_match, supporter_a):
    with time_machine.travel(at(2026, 1, 18), tick=False):
        assert run_job(jobs.check_no_contact).changed == 0  # 13 days
    with time_machine.travel(at(2026, 1, 19, 13), tick=False):
        assert run_job(jobs.check_no_contact).changed == 1  # 14 days
        assert run_job(jobs.check_no_contact).changed == 0

    alert = NoContactAlert.objects.get()
    assert alert.stage == NoContactStage.NUDGED
    nudges = OutboxMessage.objects.filter(recipient=supporter_a.user)
    assert {message.channel for message in nudges} == {Channel.EMAIL, Channel.IN_APP}
    assert "14 days" in nudges.first().body


def test_still_nothing_after_more_days_reaches_the_coordinators_queue_and_inbox(
    january_match, coordinator_a
):
    with time_machine.travel(at(2026, 1, 19, 13), tick=False):
        run_job(jobs.check_no_contact)
    with time_machine.travel(at(2026, 1, 26, 13), tick=False):  # 14 + 7 days
        assert run_job(jobs.check_no_contact).changed == 1
        silent = list(silent_matches(coordinator_a))

    assert [alert.match for alert in silent] == [january_match]
    inbox = OutboxMessage.objects.get(recipient=coordinator_a, channel=Channel.IN_APP)
    assert f"#{january_match.pk}" in inbox.body


def test_a_contact_starts_the_silence_anew_and_clears_the_queue(january_match, coordinator_a):
    with time_machine.travel(at(2026, 1, 26, 13), tick=False):
        run_job(jobs.check_no_contact)
        contacts.log_contact(
            match=january_match,
            logged_by=january_match.supporter.user,
            occurred_at=timezone.now() - dt.timedelta(hours=1),
            minutes=20,
            method=ContactMethod.PHONE,
            was_made=True,
            support_types=["emotional"],
            note="",
        )
        assert list(silent_matches(coordinator_a)) == []
        assert run_job(jobs.check_no_contact).changed == 0


def test_a_paused_match_raises_no_alert(january_match, coordinator_a):
    lifecycle.pause_match(match=january_match, by=coordinator_a)

    with time_machine.travel(at(2026, 3, 1), tick=False):
        assert run_job(jobs.check_no_contact).changed == 0


def test_a_resumed_match_counts_its_silence_from_the_resumption(january_match, coordinator_a):
    lifecycle.pause_match(match=january_match, by=coordinator_a)
    with time_machine.travel(at(2026, 2, 20), tick=False):
        lifecycle.resume_match(match=january_match, by=coordinator_a)
    with time_machine.travel(at(2026, 2, 25), tick=False):
        assert run_job(jobs.check_no_contact).changed == 0
