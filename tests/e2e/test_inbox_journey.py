"""The inbox: an urgent alert reaches the on-call coordinator's inbox, shows in the header on
every page, leads to what it is about and stays at the top until acknowledged; a supporter
reads the answer and marks it read, in place."""

import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.matches.models import Match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.safety.factories import OnCallShiftFactory, SafetyContactFactory
from alongside.safety.models import ShiftOrder, Urgency
from alongside.safety.services.escalations import raise_escalation
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def on_call(match_a: Match, coordinator_a: User) -> User:
    coordinator_a.first_name = "Avery"
    coordinator_a.save()
    OnCallShiftFactory(program=match_a.program, user=coordinator_a, order=ShiftOrder.PRIMARY)
    SafetyContactFactory(user=coordinator_a)
    return coordinator_a


def test_a_coordinator_follows_an_urgent_alert_and_a_supporter_reads_the_answer(
    journey: Journey, match_a: Match, on_call: User
) -> None:
    page = journey.page
    supporter = match_a.supporter.user
    escalation = raise_escalation(
        program=match_a.program,
        raised_by=supporter,
        urgency=Urgency.URGENT,
        what_happened="They told me they do not feel safe tonight.",
        match=match_a,
    )

    # The coordinator sees the alert in the header, opens the inbox and follows the link.
    journey.sign_in(on_call.email, DEMO_PASSWORD)
    inbox_link = page.get_by_role("link", name="Inbox, 1 unread, 1 urgent")
    expect(inbox_link).to_be_visible()
    journey.go(inbox_link, "inbox with an urgent alert")
    expect(page.get_by_role("heading", name="Inbox", level=1)).to_be_visible()
    alert = page.get_by_test_id("inbox-message").first
    expect(alert.get_by_test_id("urgent-label")).to_have_text("Urgent")
    expect(alert).to_contain_text(f"escalation #{escalation.pk} needs you now")
    journey.go(alert.get_by_role("link", name="Open what it is about"), "escalation page")
    expect(page).to_have_url(re.compile(rf"/escalations/{escalation.pk}/$"))
    expect(page.get_by_text("They told me they do not feel safe tonight.")).to_be_visible()
    journey.go(page.get_by_role("button", name="I have it: acknowledge"), "escalation taken")

    # Opening it is not enough: the alert stays at the top until acknowledged, in place.
    journey.go(page.get_by_role("link", name=re.compile(r"^Inbox")), "inbox again")
    alert = page.get_by_test_id("inbox-message").first
    expect(alert.get_by_test_id("urgent-label")).to_be_visible()
    alert.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("status")).to_contain_text("Acknowledged.")
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    expect(page.get_by_test_id("urgent-label")).to_have_count(0)
    journey.check("alert acknowledged in place")
    message = OutboxMessage.objects.get(recipient=on_call, channel=Channel.IN_APP)
    assert message.acknowledged_at is not None
    journey.sign_out()

    # The supporter hears who has it, and marks the message read.
    journey.sign_in(supporter.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Inbox, 1 unread"), "supporter's inbox")
    answer = page.get_by_test_id("inbox-message").first
    expect(answer).to_contain_text("Avery has your escalation")
    expect(answer.get_by_test_id("unread-label")).to_be_visible()
    answer.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("status")).to_have_text("Marked as read.")
    expect(page.get_by_role("link", name="Inbox", exact=True)).to_be_visible()
    expect(page.get_by_test_id("unread-label")).to_have_count(0)
    journey.check("marked read in place")
    journey.go(
        page.get_by_test_id("inbox-message").first.get_by_role(
            "link", name="Open what it is about"
        ),
        "the supporter's escalation",
    )
    expect(page.get_by_test_id("escalation-status")).to_contain_text("acknowledged by Avery")
