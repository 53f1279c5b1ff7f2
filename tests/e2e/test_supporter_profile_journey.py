"""The supporter profile journey: a supporter gives their free times and takes a break; a
coordinator offboards a supporter and hands their match to another; a supervisor records a
session with a supporter."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role, User
from alongside.matches.models import Match
from alongside.supporters.models import SupervisionSession, Supporter, SupporterStatus
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_supporter_gives_their_free_times_and_a_break(
    journey: Journey, supporter_a: Supporter
) -> None:
    page = journey.page
    back_on = timezone.localdate() + dt.timedelta(days=21)
    journey.sign_in(supporter_a.user.email, DEMO_PASSWORD)
    journey.open("/me/")
    journey.go(page.get_by_role("link", name="Edit my profile"), "profile")
    expect(page.get_by_role("heading", name="My profile", level=1)).to_be_visible()

    # Half a free time is explained, next to the row it belongs to.
    first = page.get_by_role("group", name="Free time 1")
    first.get_by_label("Day").select_option(label="Tuesday")
    journey.go(page.get_by_role("button", name="Save profile"), "half a free time")
    summary = page.get_by_role("heading", name="Please check these answers")
    expect(summary).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(
        "Free time 1, day: Free time 1: choose a day, a start and an end"
    )

    first = page.get_by_role("group", name="Free time 1")
    first.get_by_label("Day").select_option(label="Tuesday")
    first.get_by_label("From").select_option(label="18:00")
    first.get_by_label("To").select_option(label="21:00")
    second = page.get_by_role("group", name="Free time 2")
    second.get_by_label("Day").select_option(label="Saturday")
    second.get_by_label("From").select_option(label="09:30")
    second.get_by_label("To").select_option(label="12:00")
    page.get_by_label("Taking a break? Away until (optional)").fill(back_on.isoformat())
    journey.go(page.get_by_role("button", name="Save profile"), "profile saved")

    expect(page.get_by_role("status")).to_contain_text("Profile saved.")
    expect(page.get_by_role("main")).to_contain_text("On a break until")
    supporter_a.refresh_from_db()
    assert supporter_a.availability == [
        {"day": 1, "start": "18:00", "end": "21:00"},
        {"day": 5, "start": "09:30", "end": "12:00"},
    ]
    assert supporter_a.away_until == back_on


def test_a_coordinator_offboards_a_supporter_and_hands_their_match_to_another(
    journey: Journey,
    coordinator_a: User,
    supporter_a: Supporter,
    other_supporter_a: Supporter,
    match_a: Match,
) -> None:
    page = journey.page
    peer = match_a.request.peer.first_name
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.open(f"/supporters/{supporter_a.pk}/")
    journey.go(page.get_by_role("link", name="A break, alumni or withdrawn"), "offboarding")
    expect(page.get_by_role("heading", name="Change the status of Sam", level=1)).to_be_visible()

    # Leaving the match without a decision is refused, and says what is missing.
    page.get_by_role("radio", name=re.compile("^Withdrawn")).check()
    page.get_by_role("radio", name="Moved away").check()
    page.get_by_label("Why?").fill("Moved abroad for work.")
    journey.go(page.get_by_role("button", name="Change the status"), "no decision")
    expect(page.get_by_role("main")).to_contain_text(
        f"Choose who takes over, or return {peer} to the waiting list."
    )

    page.get_by_label(f"Who takes over the match with {peer} (#{match_a.pk})?").fill("rob")
    page.get_by_role("radio", name=re.compile(r"^Robin · 0 of 2 places taken")).check()
    journey.go(page.get_by_role("button", name="Change the status"), "handed over")

    expect(page.get_by_role("status")).to_contain_text(
        "Status changed. Their open match went where you chose."
    )
    expect(page.get_by_test_id("status")).to_contain_text("Why: Moved abroad for work.")
    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.WITHDRAWN
    assert supporter_a.withdrawal_reason == "moved"
    (new_match,) = other_supporter_a.matches.open()
    assert new_match.request_id == match_a.request_id


def test_a_supervisor_records_a_session_with_a_supporter(
    journey: Journey, program_a, supporter_a: Supporter
) -> None:
    page = journey.page
    supervisor = user_with_role(Role.SUPERVISOR, program_a, email="supervisor@example.org")
    journey.sign_in(supervisor.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Supervision", exact=True), "supervisees")
    expect(page.get_by_role("heading", name="My supervisees", level=1)).to_be_visible()
    journey.go(page.get_by_role("link", name="Sam", exact=True), "supervision")

    page.get_by_label("Held on").fill(timezone.localdate().isoformat())
    page.get_by_label("Length (minutes)").fill("45")
    page.get_by_role("radio", name="One to one").check()
    page.get_by_label("Notes (optional)").fill("Talked through a hard week; set a boundary.")
    page.get_by_label("Follow up by (optional)").fill(
        (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    )
    journey.go(page.get_by_role("button", name="Save session"), "session saved")

    expect(page.get_by_role("status")).to_contain_text("Supervision session recorded.")
    expect(page.get_by_test_id("sessions")).to_contain_text("Talked through a hard week")
    assert SupervisionSession.objects.get().supervisor == supervisor
