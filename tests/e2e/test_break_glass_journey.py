"""Break-glass in a health-care worker network: a supervisor, outside the scope of a colleague's
request, follows a link to it in an emergency; the page tells her it is outside her scope and
shows nothing of the person; she states why and confirms it is her, and sees the record under a
banner. The privacy lead finds the access in her menu, reads the reason and marks it. Every
page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.programs.factories import ProgramFactory
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

REASON = "Her supporter reports an urgent risk tonight and no coordinator answers the phone."


@pytest.fixture
def network():
    program = ProgramFactory(slug="hcw", name="Health Care Worker Network")
    request_ = SupportRequestFactory(program=program, peer__first_name="Mireille")
    supervisor = user_with_role(Role.SUPERVISOR, program, email="sam@example.org")
    privacy_lead = user_with_role(Role.PRIVACY_LEAD, program, email="noor@example.org")
    return request_, supervisor, privacy_lead


def test_a_supervisor_opens_a_record_in_an_emergency_and_the_privacy_lead_reviews_it(
    journey: Journey, network
) -> None:
    request_, supervisor, privacy_lead = network
    page = journey.page

    # The link to the request leads to the break-glass page, which names nobody.
    journey.sign_in(supervisor.email, DEMO_PASSWORD)
    journey.open(f"/requests/{request_.pk}/")
    expect(page).to_have_url(re.compile(rf"/privacy/requests/{request_.pk}/emergency/$"))
    heading = page.get_by_role("heading", name="This record is outside your scope", level=1)
    expect(heading).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("Mireille")

    # Too short a reason is refused beside the form.
    page.get_by_label("Why must you see this record now?").fill("urgent")
    journey.go(page.get_by_role("button", name="Open the record"))
    if page.get_by_role("heading", name="Confirm it is you", level=1).is_visible():
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        journey.go(page.get_by_role("button", name="Confirm"), "confirmed")
    expect(page.get_by_text("at least 20 characters").first).to_be_visible()
    journey.check("reason too short")

    page.get_by_label("Why must you see this record now?").fill(REASON)
    journey.go(page.get_by_role("button", name="Open the record"), "opened")
    expect(page.get_by_test_id("break-glass-banner")).to_contain_text(
        "your reason has been sent to the privacy lead"
    )
    expect(page.get_by_role("main")).to_contain_text("Mireille")
    journey.sign_out()

    # The privacy lead: one access to review in her menu; she reads the reason and marks it.
    journey.sign_in(privacy_lead.email, DEMO_PASSWORD)
    journey.open_menu()
    link = page.get_by_role("link", name=re.compile(r"^Emergency access to review"))
    expect(link).to_contain_text("1")
    journey.go(link)
    journey.go(page.get_by_test_id("break-glass-accesses").get_by_role("link").first)
    expect(page.get_by_test_id("reason")).to_contain_text("urgent risk tonight")
    page.get_by_label("Not justified").check()
    page.get_by_label("Note").fill("A coordinator was on call; ask them first next time.")
    journey.go(page.get_by_role("button", name="Save the review"), "reviewed")
    expect(page.get_by_test_id("break-glass-accesses")).to_contain_text("Not justified")
