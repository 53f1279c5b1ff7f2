"""Safety journeys: a supporter's urgent escalation reaches the on-call coordinator, who takes it;
one nobody takes moves to the backup; a person in crisis sees the crisis lines at once."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role, User
from alongside.matches.models import Match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import Program
from alongside.safety import jobs
from alongside.safety.factories import OnCallShiftFactory, SafetyContactFactory
from alongside.safety.models import Escalation, EscalationStatus, ShiftOrder, Urgency
from alongside.safety.services.escalations import raise_escalation
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(program_a: Program) -> User:
    user = user_with_role(
        Role.COORDINATOR, program_a, email="backup@example.org", first_name="Morgan"
    )
    OnCallShiftFactory(program=program_a, user=user, order=ShiftOrder.BACKUP)
    return user


@pytest.fixture
def on_call(program_a: Program, coordinator_a: User, backup: User) -> User:
    coordinator_a.first_name = "Avery"
    coordinator_a.save()
    OnCallShiftFactory(program=program_a, user=coordinator_a, order=ShiftOrder.PRIMARY)
    SafetyContactFactory(user=coordinator_a)
    return coordinator_a


def test_an_urgent_escalation_reaches_the_on_call_coordinator_who_acknowledges_it(
    journey: Journey, match_a: Match, on_call: User, backup: User
) -> None:
    page = journey.page
    supporter = match_a.supporter.user
    journey.sign_in(supporter.email, DEMO_PASSWORD)
    journey.open(f"/matches/{match_a.pk}/")
    journey.go(page.get_by_role("link", name="Tell a coordinator now"), "escalation form")
    expect(page.get_by_role("heading", name="Tell a coordinator now", level=1)).to_be_visible()
    page.get_by_role("radio", name=re.compile(r"^Urgent")).check()
    page.get_by_label("What happened?").fill("They told me they do not feel safe tonight.")
    journey.go(page.get_by_role("button", name="Send to the coordinator"), "escalation raised")
    status = page.get_by_test_id("escalation-status")
    expect(status).to_contain_text("Received. Avery has been alerted")

    escalation = Escalation.objects.get()
    alerts = OutboxMessage.objects.filter(recipient=on_call)
    assert set(alerts.values_list("channel", flat=True)) == {
        Channel.IN_APP,
        Channel.EMAIL,
        Channel.SMS,
    }
    journey.sign_out()

    journey.sign_in(on_call.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Escalations", exact=True), "escalation list")
    journey.go(page.get_by_role("link", name=f"#{escalation.pk}"), "escalation detail")
    expect(page.get_by_text("They told me they do not feel safe tonight.")).to_be_visible()
    journey.go(page.get_by_role("button", name="I have it: acknowledge"), "acknowledged")
    expect(page.get_by_test_id("escalation-status")).to_contain_text("acknowledged by Avery")
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    journey.sign_out()

    # The supporter sees who has it.
    journey.sign_in(supporter.email, DEMO_PASSWORD)
    journey.open(f"/escalations/{escalation.pk}/")
    expect(page.get_by_test_id("escalation-status")).to_contain_text(
        "Received and acknowledged by Avery"
    )


def test_an_urgent_escalation_nobody_acknowledges_moves_to_the_backup_after_the_window(
    journey: Journey, match_a: Match, on_call: User, backup: User
) -> None:
    page = journey.page
    escalation = raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.URGENT,
        what_happened="No answer at their door after they said goodbye.",
        match=match_a,
    )
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now() + window + dt.timedelta(seconds=30)):
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 1

    journey.sign_in(backup.email, DEMO_PASSWORD)
    journey.open("/escalations/")
    row = page.get_by_test_id("escalation").filter(has_text=f"#{escalation.pk}")
    expect(row).to_contain_text("Morgan")
    journey.go(row.get_by_role("link", name=f"#{escalation.pk}"), "escalation detail")
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Not acknowledged in time; moved on")
    expect(timeline).to_contain_text("Morgan")
    assert OutboxMessage.objects.filter(recipient=backup, channel=Channel.EMAIL).exists()


CRISIS_QUESTION = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself right now?",
    "answers": ["No", "Yes", "I'd rather not say"],
    "crisis_answers": ["Yes"],
}


def test_a_person_who_signals_crisis_sees_the_crisis_lines_on_the_next_screen(
    journey: Journey, program_a: Program, on_call: User
) -> None:
    program_a.crisis_questions = [CRISIS_QUESTION]
    program_a.save()
    page = journey.page
    journey.open(f"/ask/{program_a.slug}/")
    page.get_by_label("What name should we use for you?").fill("Riley")
    page.get_by_label("E-mail address").fill("riley@example.net")
    contact = page.get_by_role("group", name=re.compile(r"^How may we contact you\?"))
    contact.get_by_label("E-mail", exact=True).check()
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    crisis = page.get_by_role("group", name=CRISIS_QUESTION["question"])
    crisis.get_by_role("radio", name="Yes").check()
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()
    journey.go(page.get_by_role("button", name="Send my request"), "crisis lines shown")

    expect(
        page.get_by_role("heading", name="Please reach out for help now", level=1)
    ).to_be_visible()
    expect(page.get_by_test_id("crisis-lines")).to_contain_text(program_a.crisis_message)
    escalation = Escalation.objects.get()
    assert escalation.urgency == Urgency.URGENT
    assert escalation.support_request is not None
    assert escalation.assigned_to == on_call
