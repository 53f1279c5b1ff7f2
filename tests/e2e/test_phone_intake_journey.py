"""The health-care workers' network takes requests by phone: a coordinator answers a call,
screens for crisis first, enters the caller's answers in the order they come, and the
confirmation gives the business-day time by which the caller will be matched."""

import random
import re
import zoneinfo

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.demo.hcw import create_hcw_program
from alongside.demo.shared import Seeder
from alongside.intake.models import Source, SupportRequest
from alongside.safety.models import Escalation, Urgency
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

BOSTON = zoneinfo.ZoneInfo("America/New_York")


@pytest.fixture
def network():
    seeder = Seeder(
        now=timezone.now(), rng=random.Random(2), password_hash=make_password(DEMO_PASSWORD)
    )
    program, _experiences = create_hcw_program(seeder)
    coordinator = user_with_role(
        Role.COORDINATOR, program, email="dana@example.org", first_name="Dana"
    )
    return program, coordinator


def test_a_coordinator_takes_a_call_screening_for_crisis_first_and_gets_the_due_time(
    journey: Journey, network
) -> None:
    program, coordinator = network
    page = journey.page

    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    main = page.get_by_role("main")
    journey.go(main.get_by_role("link", name="Take a call"), "the call form")
    expect(page.get_by_role("heading", name="Take a call", level=1)).to_be_visible()

    # Crisis screening comes first, with the crisis lines in front of the call-taker.
    screening = page.get_by_role("region", name="1. First, ask about their safety")
    expect(screening.get_by_test_id("crisis-lines")).to_contain_text("call or text 988")
    screening.get_by_role("radio", name="Yes").check()

    page.get_by_label("Their name").fill("Maya")
    page.get_by_label("Their phone number").fill("617 555 0142")
    page.get_by_role("group", name="How may we contact them?").get_by_label("Phone call").check()
    page.get_by_label("Which language would they like to talk in?").select_option(label="English")
    page.get_by_role("radio", name="Stress from working in health care").check()
    page.get_by_role("radio", name=re.compile(r"^Colleague")).check()
    page.get_by_label("What is their role at work?").fill("nurse")
    page.get_by_label("Best times to reach them (optional)").fill("After 7 p.m.")
    page.get_by_role("checkbox", name=re.compile(r"^I read them the consent")).check()
    journey.go(page.get_by_role("button", name="Save the request"), "request saved")

    # What to do now, then the promise counted in the network's business days.
    crisis = page.get_by_test_id("crisis-now")
    expect(crisis).to_contain_text("They may be in crisis: what to do now")
    expect(crisis).to_contain_text("call or text 988")
    support_request = SupportRequest.objects.get()
    assert support_request.source == Source.PHONE
    assert support_request.entered_by == coordinator
    assert support_request.due_at == program.calendar.due_at(
        support_request.received_at, program.sla_business_days
    )
    due = support_request.due_at.astimezone(BOSTON)
    assert program.calendar.is_business_day(due.date())
    expect(page.get_by_test_id("due")).to_have_text(
        f"Match by {due:%A} {due.day} {due:%B}, 5:00 p.m. (America/New_York time)."
    )
    expect(page.get_by_test_id("reference")).to_contain_text(support_request.reference)
    escalation = Escalation.objects.get()
    assert escalation.urgency == Urgency.URGENT
    assert escalation.support_request == support_request

    # The call-taker follows the request into the queue's page for it.
    journey.go(page.get_by_role("link", name="Open the request"), "the request")
    expect(page.get_by_role("main")).to_contain_text("Maya")
