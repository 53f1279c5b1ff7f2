"""Actions coordinators and supervisors repeat update their page in place (htmx): the same page,
never reloaded, its live region saying what happened, and the page still passing axe after each
change. Without JavaScript the same forms post and redirect (the views' tests cover that)."""

import pytest
from playwright.sync_api import Page, expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role, User
from alongside.matches.factories import ContactLogFactory
from alongside.matches.models import Match, MatchStatus
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

# Set on the page once it has loaded: a page that reloads loses it.
MARK = "() => { window.stillTheSamePage = true; }"
STILL_THE_SAME_PAGE = "() => window.stillTheSamePage === true"


def mark_the_page(page: Page) -> str:
    page.evaluate(MARK)
    return page.url


def assert_not_reloaded(page: Page, url: str) -> None:
    assert page.url == url
    assert page.evaluate(STILL_THE_SAME_PAGE)


@pytest.fixture
def supervisor(program_a: Program) -> User:
    return user_with_role(Role.SUPERVISOR, program_a, email="supervisor.a@example.org")


def test_a_match_is_paused_resumed_and_a_contact_commented_on_without_leaving_the_page(
    journey: Journey, match_a: Match, coordinator_a: User, supervisor: User
) -> None:
    page = journey.page
    ContactLogFactory(match=match_a, minutes=45)

    # The coordinator pauses the match, then resumes it: the button keeps the focus.
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.open(f"/matches/{match_a.pk}/")
    url = mark_the_page(page)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status")).to_have_text("The match is paused.")
    expect(page.get_by_role("button", name="Resume")).to_be_focused()
    expect(page.locator("#match-plan")).to_contain_text("Paused")
    journey.check("paused in place")
    assert_not_reloaded(page, url)
    match_a.refresh_from_db()
    assert match_a.status == MatchStatus.PAUSED

    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_have_text("The match is active again.")
    expect(page.get_by_role("button", name="Pause")).to_be_focused()
    journey.check("resumed in place")
    assert_not_reloaded(page, url)
    journey.sign_out()

    # A supervisor comments on the contact; an empty comment is refused beside the form.
    journey.sign_in(supervisor.email, DEMO_PASSWORD)
    journey.open(f"/matches/{match_a.pk}/")
    url = mark_the_page(page)
    contact = page.get_by_test_id("contact")
    contact.get_by_role("button", name="Add comment").click()
    expect(contact.locator("[data-error-summary]")).to_have_text("Write a comment first.")
    expect(contact.locator("[data-error-summary]")).to_be_focused()
    journey.check("empty comment refused in place")

    contact.get_by_label("Your comment").fill("Good boundaries here.")
    contact.get_by_role("button", name="Add comment").click()
    expect(contact.get_by_test_id("comment")).to_contain_text("Good boundaries here.")
    expect(page.get_by_role("status")).to_have_text("Comment added.")
    expect(contact.locator("[data-error-summary]")).to_have_count(0)
    expect(contact.get_by_label("Your comment")).to_have_value("")
    journey.check("comment added in place")
    assert_not_reloaded(page, url)
    assert match_a.contacts.get().comments.get().body == "Good boundaries here."
