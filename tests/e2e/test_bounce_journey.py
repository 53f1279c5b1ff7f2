"""A bounce: the provider reports an e-mail bounced, the coordinator is told in the app, follows
the notice to the undeliverable addresses and clears the mark once the person has a new one."""

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.notifications.models import (
    Channel,
    DeliveryReport,
    OutboxMessage,
    UndeliverableAddress,
)
from alongside.notifications.providers.services import record_delivery_report
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_is_told_of_a_bounce_and_clears_the_address(
    journey: Journey, program_a: Program, coordinator_a: User
) -> None:
    page = journey.page
    OutboxMessage.objects.create(
        program=program_a,
        channel=Channel.EMAIL,
        to_address="sam.peer@example.org",
        body="Alex will call you this week.",
        idempotency_key="bounce-journey",
        provider_message_id="pm-1",
    )
    record_delivery_report(
        channel=Channel.EMAIL,
        provider_message_id="pm-1",
        report=DeliveryReport.BOUNCED,
        detail="postmark: bounced",
    )

    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.go(page.locator("#inbox-link"), "inbox")
    expect(page.get_by_text("An address no longer receives messages")).to_be_visible()
    journey.go(page.get_by_role("link", name="Open what it is about"), "the list")
    expect(page.get_by_role("heading", name="Undeliverable addresses", level=1)).to_be_visible()
    row = page.get_by_test_id("undeliverable-address")
    expect(row).to_contain_text("s…@example.org")
    expect(row).to_contain_text("Bounced")

    journey.go(row.get_by_role("link", name="Clear"), "asked first")
    journey.go(page.get_by_role("button", name="Clear the mark"), "cleared")

    expect(page.get_by_text("Every address can be written to.")).to_be_visible()
    assert UndeliverableAddress.objects.get().cleared_by == coordinator_a
