"""An administrator, on a phone, connects a partner's system: from the program's settings to the
webhooks, an endpoint added, its secret read once, a test event sent (a real receiver on this
machine gets it and verifies its signature with that secret), the secret changed."""

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications.tests.webhook_receiver import webhook_receiver
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def test_an_administrator_registers_an_endpoint_and_sends_it_a_test_event(
    journey: Journey, program_a: Program, administrator: User
) -> None:
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.sign_in(administrator.email, DEMO_PASSWORD)

    with webhook_receiver(secrets=[], statuses=[200]) as receiver:
        journey.open(f"/programs/{program_a.pk}/settings/")
        journey.go(page.get_by_role("link", name="Read and change the webhooks"), "webhooks")
        expect(page.get_by_role("heading", name="Webhooks", level=1)).to_be_visible()
        journey.go(page.get_by_role("link", name="Add an endpoint"), "add")
        page.get_by_label("Name").fill("Hospital referrals")
        page.get_by_label("Address (URL)").fill(receiver.url)
        page.get_by_label("A match starts").check()
        journey.go(page.get_by_role("button", name="Add the endpoint"), "secret shown")

        secret = page.get_by_test_id("webhook-secret").input_value()
        assert secret.startswith("whsec_")
        receiver.secrets = [secret]
        journey.go(page.get_by_role("link", name="I have kept it: go to the endpoint"), "endpoint")
        journey.go(page.get_by_role("button", name="Send a test event"), "test sent")

        expect(page.get_by_role("status")).to_contain_text("A test event is on its way")
        deliveries = page.get_by_test_id("webhook-deliveries")
        expect(deliveries).to_contain_text("webhook.test")
        expect(deliveries).to_contain_text("Sent")

    (received,) = receiver.received
    assert received.verified_with == [secret]

    # The secret changed: asked first, then the new one shown once.
    journey.go(page.get_by_role("link", name="Change the secret"), "asked")
    journey.go(page.get_by_role("main").get_by_role("button", name="Change the secret"), "new")
    assert page.get_by_test_id("webhook-secret").input_value() not in ("", secret)
    journey.open(f"/programs/{program_a.pk}/settings/webhooks/given-up/")
    expect(page.get_by_text("No delivery has been given up.")).to_be_visible()
    assert AuditEvent.objects.filter(action="notifications.webhook.tested").count() == 1
