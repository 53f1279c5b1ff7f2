"""Program settings and check-in meetings: a coordinator adds a training and a pipeline step,
schedules a supporter check-in meeting and invites the program's supporters; a supporter sees it
on their page and says they will come; after the meeting the coordinator takes attendance."""

import datetime as dt
import re
import zoneinfo

import pytest
import time_machine
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import Browser, expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession
from alongside.notifications.models import OutboxMessage
from alongside.programs.models import PipelineStep, Program, TrainingModule
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey
from tests.walk import signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)

TITLE = "December supporter check-in"


def test_a_coordinator_configures_the_pipeline_runs_a_check_in_meeting_and_takes_attendance(
    journey: Journey,
    program_a: Program,
    coordinator_a: User,
    supporter_a: Supporter,
    other_supporter_a: Supporter,
) -> None:
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    # Settings: a new training and a new step, added from the keyboard-friendly forms.
    journey.go(page.get_by_role("link", name="Program settings"), "settings index")
    journey.go(page.get_by_role("link", name=program_a.name), "program settings")
    expect(page.get_by_role("heading", name="Program settings", level=1)).to_be_visible()
    journey.go(page.get_by_role("link", name="Add a training"), "add a training")
    page.get_by_role("textbox", name="Name (required)", exact=True).fill("Listening skills")
    page.get_by_role("checkbox", name="Communication").check()
    page.get_by_label("Valid for (months, optional)").fill("12")
    expect(page.get_by_role("checkbox", name="Required before a supporter")).to_be_checked()
    journey.go(page.get_by_role("button", name="Save training"), "training added")
    expect(page.get_by_role("status")).to_contain_text("Training added.")
    expect(page.get_by_test_id("trainings")).to_contain_text("Listening skills")
    expect(page.get_by_test_id("trainings")).to_contain_text("12 months")

    journey.go(page.get_by_role("link", name="Add a step"), "add a step")
    page.get_by_label("Kind of step").select_option(label="Screening call")
    journey.go(page.get_by_role("button", name="Save step"), "empty name refused")
    expect(page.get_by_role("main")).to_contain_text("Name: This field is required.")
    page.get_by_role("textbox", name="Name (required)", exact=True).fill("Welcome call")
    journey.go(page.get_by_role("button", name="Save step"), "step added")
    expect(page.get_by_role("status")).to_contain_text("Step added at the end of the pipeline.")
    expect(page.get_by_test_id("steps").get_by_role("rowheader")).to_have_text(["Welcome call"])
    assert TrainingModule.objects.get(program=program_a).competency_areas == ["communication"]
    assert PipelineStep.objects.get(program=program_a).kind == "screening_call"

    # Retiring cannot be undone: it asks first, and going back retires nothing.
    retire = page.get_by_test_id("steps").get_by_role("link", name="Retire Welcome call")
    journey.go(retire, "asked to retire")
    expect(page.get_by_role("heading", name="Retire “Welcome call”?", level=1)).to_be_visible()
    expect(page.get_by_test_id("what-happens")).to_contain_text("it is removed for good")
    journey.go(page.get_by_role("link", name="Go back without doing it"), "went back")
    assert PipelineStep.objects.filter(program=program_a).exists()
    journey.go(retire, "asked again")
    journey.go(page.get_by_role("button", name="Retire “Welcome call”"), "retired")
    expect(page.get_by_role("status")).to_contain_text("“Welcome call” is removed.")
    assert not PipelineStep.objects.filter(program=program_a).exists()

    # A check-in meeting, first without a place or a link, then with a link.
    journey.go(page.get_by_role("link", name="Groups", exact=True), "groups")
    journey.go(page.get_by_role("link", name="Schedule a session"), "schedule")
    toronto = zoneinfo.ZoneInfo(program_a.time_zone)
    day = timezone.now().astimezone(toronto).date() + dt.timedelta(days=7)
    page.get_by_role("radio", name="Supporter check-in meeting").check()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Starts at").fill("18:30")
    journey.go(page.get_by_role("button", name="Schedule session"), "no place")
    expect(page.get_by_role("main")).to_contain_text("Give a place, a video call link, or both.")
    page.get_by_label("Video call link (optional if there is a place)").fill(
        "https://meet.example.org/december"
    )
    journey.go(page.get_by_role("button", name="Schedule session"), "scheduled")
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("18:30")

    # Whom to invite is found by name, never in a list of everyone; the chosen stay first.
    journey.go(page.get_by_role("link", name="Invite supporters"), "invite")
    expect(page.get_by_role("radio", name=re.compile(r"^Every active supporter"))).to_be_checked()
    expect(page.get_by_role("checkbox")).to_have_count(0)
    page.get_by_role("radio", name="Only the supporters I choose below").check()
    page.get_by_label("Supporters to invite").fill("sa")
    status = page.locator("#id_supporters-status")
    expect(status).to_have_text("1 supporter found.")
    page.get_by_role("checkbox", name=re.compile("^Sam")).check()
    page.get_by_label("Supporters to invite").fill("rob")
    chosen = page.get_by_test_id("supporters-chosen")
    expect(chosen.get_by_role("checkbox", name=re.compile("^Sam"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("^Robin")).check()
    page.get_by_label("Supporters to invite").fill("")
    expect(chosen.get_by_role("checkbox")).to_have_count(2)
    journey.check("two chosen by name")
    chosen.get_by_role("button", name="Remove Robin").click()
    expect(chosen.get_by_role("checkbox")).to_have_count(1)
    expect(page.locator("#id_supporters-results")).to_be_focused()
    journey.go(page.get_by_role("button", name="Send the invitations"), "invited")
    expect(page.get_by_role("status")).to_contain_text("Invited 1. Each gets an e-mail.")
    expect(page.get_by_test_id("attendances")).to_contain_text("Sam")
    expect(page.get_by_test_id("attendances")).not_to_contain_text("Robin")
    session = GroupSession.objects.get(title=TITLE)
    journey.sign_out()

    # Sam sees the meeting on their page, on the program's clock, and says they will come.
    journey.sign_in(supporter_a.user.email, DEMO_PASSWORD)
    journey.open("/me/")
    meetings = page.get_by_test_id("upcoming-meetings")
    expect(meetings).to_contain_text(TITLE)
    expect(meetings).to_contain_text("18:30")
    journey.go(meetings.get_by_role("button", name=f"I will come — {TITLE}"), "answered")
    expect(page.get_by_role("status")).to_contain_text("We have noted that you will come.")
    expect(page.get_by_test_id("upcoming-meetings")).to_contain_text("My answer: Coming")
    journey.sign_out()

    # After the meeting the coordinator takes attendance.
    with time_machine.travel(session.ends_at + dt.timedelta(minutes=30), tick=True):
        journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
        journey.go(page.get_by_role("link", name="Groups", exact=True), "groups after")
        journey.go(page.get_by_role("link", name=re.compile(r"^Past sessions")), "past sessions")
        journey.go(page.get_by_test_id("session").get_by_role("link", name=TITLE), "past session")
        journey.go(page.get_by_role("link", name="Take attendance"), "attendance")
        journey.go(page.get_by_role("button", name="Save attendance"), "nothing chosen")
        expect(page.get_by_role("main")).to_contain_text("for at least one person")
        attendance = page.get_by_role("group", name="Sam")
        expect(attendance).to_contain_text("Said: Coming")
        attendance.get_by_role("radio", name="Came", exact=True).check()
        journey.go(page.get_by_role("button", name="Save attendance"), "attendance saved")
        expect(page.get_by_role("status")).to_contain_text("Attendance saved.")
        expect(page.get_by_test_id("attendances")).to_contain_text("Attended")

    assert Attendance.objects.get(session=session).status == AttendanceStatus.ATTENDED


def test_a_coordinator_cancels_a_meeting_with_a_reason_and_the_invited_are_told(
    journey: Journey, program_a: Program, coordinator_a: User, supporter_a: Supporter
) -> None:
    session = GroupSessionFactory(program=program_a, title=TITLE)
    AttendanceFactory(session=session, supporter=supporter_a)
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    journey.open(f"/groups/{session.pk}/")
    journey.go(page.get_by_role("link", name="Cancel this session"), "cancel")
    journey.go(page.get_by_role("button", name="Cancel the session and tell everyone"), "no reason")
    expect(page.get_by_role("main")).to_contain_text("This field is required.")
    page.get_by_role("textbox").fill("The facilitator is ill; we will set a new date.")
    journey.go(page.get_by_role("button", name="Cancel the session and tell everyone"), "cancelled")

    expect(page.get_by_test_id("cancelled")).to_contain_text("The facilitator is ill")
    assert OutboxMessage.objects.filter(recipient=supporter_a.user).exists()


def test_without_javascript_whom_to_invite_is_searched_by_reloading_the_page(
    browser: Browser,
    base_url: str,
    program_a: Program,
    coordinator_a: User,
    supporter_a: Supporter,
    other_supporter_a: Supporter,
) -> None:
    meeting = GroupSessionFactory(program=program_a, title=TITLE)
    session = signed_in_client(coordinator_a.email).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/groups/{meeting.pk}/invite/")

    page.get_by_role("radio", name="Only the supporters I choose below").check()
    page.get_by_label("Supporters to invite").fill("sa")
    with page.expect_navigation():
        page.get_by_label("Supporters to invite").press("Enter")
    assert "supporters-search=sa" in page.url
    assert "csrfmiddlewaretoken" not in page.url
    page.get_by_role("checkbox", name=re.compile("^Sam")).check()
    page.get_by_label("Supporters to invite").fill("rob")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    chosen = page.get_by_test_id("supporters-chosen")
    expect(chosen.get_by_role("checkbox", name=re.compile("^Sam"))).to_be_checked()
    page.get_by_role("checkbox", name=re.compile("^Robin")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    expect(chosen.get_by_role("checkbox")).to_have_count(2)
    with page.expect_navigation():
        chosen.get_by_role("button", name="Remove Sam").click()
    expect(chosen.get_by_role("checkbox")).to_have_count(1)
    with page.expect_navigation():
        page.get_by_role("button", name="Send the invitations").click()

    expect(page.get_by_role("status")).to_contain_text("Invited 1. Each gets an e-mail.")
    assert list(meeting.attendances.values_list("supporter", flat=True)) == [other_supporter_a.pk]
    context.close()
