"""A coordinator finds a supporter by name on a request's page, never in a list of everyone: she
types part of the name, the few results come as she types, she asks why one is not on the
shortlist (by keyboard alone), and records a conflict with him; without JavaScript the same
search reloads the page with its results."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matching.models import Conflict, MatchingSettings
from alongside.programs.factories import ExperienceFactory, ProgramFactory, SiteFactory
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from tests.e2e.conftest import Journey
from tests.walk import signed_in_client

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def crowded_program():
    """A request from the General Hospital, Casey who works there too, and a dozen Kims."""
    stress = ExperienceFactory(slug="work-stress", name="Stress at work")
    program = ProgramFactory(
        slug="hcw", name="Health Care Worker Peer Support", experiences=[stress]
    )
    MatchingSettings.objects.create(program=program, exclude_same_site=True)
    general = SiteFactory(program=program, name="General Hospital")
    north = SiteFactory(program=program, name="North Clinic")
    people = [("Casey", "Moreau", general)] + [(f"Kim{n:02d}", "Tran", north) for n in range(12)]
    for first_name, last_name, site in people:
        supporter = SupporterFactory(
            program=program,
            user=UserFactory(first_name=first_name, last_name=last_name),
            site=site,
        )
        LivedExperienceFactory(supporter=supporter, experience=stress)
    maya = SupportRequestFactory(
        program=program, experience=stress, site=general, peer__first_name="Maya"
    )
    coordinator = user_with_role(Role.COORDINATOR, program, email="dana@example.org")
    return maya, coordinator


def test_a_coordinator_finds_a_supporter_asks_why_not_by_keyboard_and_records_a_conflict(
    journey: Journey, crowded_program
):
    maya, coordinator = crowded_program
    page = journey.page
    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.open(f"/requests/{maya.pk}/")
    expect(page.locator("select")).to_have_count(0)

    # By keyboard alone: type, the results come in place, Tab to the one found, ask why.
    page.get_by_label("Which supporter?").focus()
    page.keyboard.type("cas")
    status = page.locator("#id_supporter-status")
    expect(status).to_have_text("1 supporter found.")
    casey = page.locator("#why-not").get_by_role("radio", name="Casey · Active · General Hospital")
    page.keyboard.press("Tab")  # the Search button
    page.keyboard.press("Tab")  # the first result
    expect(casey).to_be_focused()
    page.keyboard.press("Space")
    expect(casey).to_be_checked()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Ask why")).to_be_focused()
    page.keyboard.press("Enter")
    answer = page.get_by_test_id("why-not-answer")
    expect(answer).to_have_text(
        "Casey: works at the same site, and this program matches across sites."
    )
    expect(answer).to_be_focused()
    journey.check("why not Casey, asked by keyboard")

    # A name many share shows the first ten and asks for more of it.
    page.get_by_label("Which supporter?").fill("kim")
    expect(status).to_have_text("The first 10 found: type more of the name to narrow the search.")
    # Casey, still chosen, stays first.
    results = page.locator("#id_supporter-results").get_by_role("radio")
    expect(results).to_have_count(1 + 10)
    expect(results.first).to_be_checked()
    journey.check("ten Kims found")

    page.get_by_text("Record a conflict with a supporter").click()
    page.get_by_label("Supporter who must never be proposed to them").fill("moreau")
    conflict = page.locator("#id_conflict-supporter-results")
    conflict.get_by_role("radio", name=re.compile("^Casey")).check()
    page.get_by_label("Why (only coordinators see this)").fill("Casey is her brother-in-law.")
    journey.go(page.get_by_role("button", name="Record the conflict"), "conflict recorded")

    expect(page.get_by_role("status")).to_contain_text(
        "Recorded: Casey will never be proposed to this person."
    )
    assert Conflict.objects.filter(supporter__user__first_name="Casey").count() == 1


def test_without_javascript_the_search_reloads_the_page_with_its_results(
    browser: Browser, base_url: str, crowded_program
):
    maya, coordinator = crowded_program
    session = signed_in_client(coordinator.email).cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"/requests/{maya.pk}/")

    page.get_by_label("Which supporter?").fill("cas")
    with page.expect_navigation():
        page.get_by_label("Which supporter?").press("Enter")
    assert "supporter-search=cas" in page.url
    expect(page.locator("#id_supporter-status")).to_have_text("1 supporter found.")
    page.get_by_role("radio", name=re.compile("^Casey")).check()
    with page.expect_navigation():
        page.get_by_role("button", name="Ask why").click()

    expect(page.get_by_test_id("why-not-answer")).to_contain_text("Casey: works at the same site")
    context.close()
