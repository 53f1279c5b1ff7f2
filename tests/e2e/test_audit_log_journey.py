"""The privacy lead of a health-care worker network reads its audit log: a coordinator opens a
colleague's request; the privacy lead signs in with her authenticator app, lands on the audit
log, narrows it to the reads of requests and to today, and finds the coordinator's read of that
request, with the record's number and never the person's name. Every page passes axe."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.programs.factories import ProgramFactory
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    program = ProgramFactory(slug="hcw", name="Health Care Worker Network")
    request_ = SupportRequestFactory(program=program, peer__first_name="Mireille")
    coordinator = user_with_role(Role.COORDINATOR, program, email="dana@example.org")
    privacy_lead = user_with_role(Role.PRIVACY_LEAD, program, email="noor@example.org")
    return request_, coordinator, privacy_lead


def test_the_privacy_lead_finds_a_read_of_a_request_in_the_audit_log(
    journey: Journey, network
) -> None:
    request_, coordinator, privacy_lead = network
    page = journey.page

    # A coordinator reads the request: the read is recorded.
    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.open(f"/requests/{request_.pk}/")
    journey.sign_out()

    # The privacy lead's home is the audit log, and her menu leads there too.
    journey.sign_in(privacy_lead.email, DEMO_PASSWORD)
    journey.open("/")
    expect(page).to_have_url(re.compile(r"/privacy/audit/$"))
    expect(page.get_by_role("heading", name="Audit log", level=1)).to_be_visible()
    journey.open_menu()
    expect(page.get_by_role("link", name="Audit log")).to_be_visible()
    expect(page.get_by_role("link", name="Requests", exact=True)).to_have_count(0)

    # Narrowed to the reads of requests, in place, the count read out.
    page.get_by_label("Action").select_option("intake.request.viewed")
    expect(page.locator("#list-count")).to_have_text("1 event")
    expect(page).to_have_url(re.compile(r"action=intake\.request\.viewed"))
    journey.check("reads of requests")

    # And to today: from and to, then Show.
    today = timezone.localdate().isoformat()
    page.get_by_label("From").fill(today)
    page.get_by_label("To", exact=True).fill(today)
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"since={today}.*until={today}"))
    expect(page.locator("#list-count")).to_have_text("1 event")
    journey.check("today")

    row = page.locator("#list-region tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(coordinator.email)
    expect(row).to_contain_text("intake.request.viewed")
    expect(row).to_contain_text(f"Support request #{request_.pk}")
    expect(page.locator("#list-region")).not_to_contain_text("Mireille")

    # A period before the read shows nothing, and says so.
    page.get_by_label("To", exact=True).fill("2020-01-01")
    page.get_by_label("From").fill("2020-01-01")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#list-count")).to_have_text("0 events")
    expect(page.get_by_text("No event fits these filters.")).to_be_visible()
    journey.check("an empty period")
