"""Back, then Send again: the same person's same request is one request, and they see the first
confirmation again. Driven in a real browser, whose Back restores what was typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from alongside.intake.models import SupportRequest
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def fill_in_the_request(page: Page) -> None:
    page.get_by_label("What name should we use for you?").fill("Dana")
    page.get_by_label("E-mail address").fill("dana.peer@example.net")
    contact = page.get_by_role("group", name=re.compile(r"^How may we contact you\?"))
    contact.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Which language would you like to talk in?").select_option(label="English")
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    page.get_by_label("What would you like to talk about? (optional)").fill(
        "I was told I have MS in the spring."
    )
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()


def test_back_then_send_again_makes_one_request_and_shows_the_first_confirmation(
    journey: Journey, program_a: Program
) -> None:
    page = journey.page
    journey.open(f"/ask/{program_a.slug}/")
    first_token = page.locator("input[name=submission_token]").input_value()
    fill_in_the_request(page)
    journey.go(page.get_by_role("button", name="Send my request"), "request received")
    reference = page.get_by_test_id("reference")
    expect(reference).to_contain_text("Your reference:")
    first_confirmation = reference.inner_text()

    # Back: the form comes again with a new submission token, the browser refills the answers.
    with page.expect_navigation(wait_until="load"):
        page.go_back()
    journey.check("back on the form")
    token = page.locator("input[name=submission_token]")
    assert token.input_value() != first_token
    expect(page.get_by_label("What name should we use for you?")).to_have_value("Dana")
    expect(page.get_by_label("What would you like to talk about? (optional)")).to_have_value(
        "I was told I have MS in the spring."
    )
    journey.go(page.get_by_role("button", name="Send my request"), "received again")

    expect(
        page.get_by_role("heading", name="Thank you. We have your request.", level=1)
    ).to_be_visible()
    expect(page.get_by_test_id("reference")).to_have_text(first_confirmation)
    support_request = SupportRequest.objects.get()
    assert support_request.reference in first_confirmation
    assert str(support_request.submission_token) == first_token
