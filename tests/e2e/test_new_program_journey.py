"""A new program from nothing, in pages: an administrator creates it, sets its ways in, its
eligibility rules and its crisis lines, and appoints its first coordinator; a visitor asks it
for support from the home page, and the request is in the administrator's queue."""

import re

import pytest
from playwright.sync_api import Page, expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import Membership, Role, User
from alongside.intake.models import SupportRequest
from alongside.programs.models import Experience, Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

NAME = "Stroke peer support"


def fits_a_phone(page: Page) -> None:
    """Nothing on the page is wider than a 390-pixel phone screen."""
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})


def create_the_program(journey: Journey) -> Program:
    page = journey.page
    journey.open_menu()
    journey.go(page.get_by_role("link", name="Program settings"), "settings index")
    journey.go(page.get_by_role("link", name="New program"), "new program")
    page.get_by_role("textbox", name=re.compile(r"^Name\b")).fill(NAME)
    page.get_by_label("Web address name").fill("Stroke support")
    page.get_by_label("Province or state (optional)").fill("NS")
    page.get_by_label("Time zone").select_option("America/Halifax")
    page.get_by_role("checkbox", name="English").check()
    page.get_by_role("checkbox", name="Phone call").check()
    journey.go(page.get_by_role("button", name="Create program"), "bad web address name")
    slug = page.get_by_label("Web address name")
    expect(slug).to_have_attribute("aria-invalid", "true")
    expect(slug).to_have_accessible_description(re.compile("may use only small letters"))
    slug.fill("stroke")
    journey.go(page.get_by_role("button", name="Create program"), "created")
    expect(page.get_by_role("status")).to_contain_text("Program created.")
    expect(page.get_by_test_id("setup")).to_contain_text("none yet: the program takes no requests")
    return Program.objects.get(slug="stroke")


def open_the_ways_in(journey: Journey) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Change General and ways in"), "general")
    page.get_by_role("checkbox", name="Multiple sclerosis").check()
    page.get_by_role("checkbox", name=re.compile(r"^Way in: the public request form")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Way in: by phone")).check()
    page.get_by_role("checkbox", name=re.compile(r"^Recruit supporters")).check()
    journey.go(page.get_by_role("button", name="Save"), "ways in saved")
    expect(page.get_by_role("status")).to_contain_text("General and ways in saved.")
    expect(page.get_by_test_id("setup")).to_contain_text("Ways in: the public request form, phone.")


def set_the_rules(journey: Journey) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Change Eligibility rules"), "rules")
    fits_a_phone(page)
    first = page.get_by_role("group", name="Rule 1")
    first.get_by_label("Kind of rule").select_option(label="A minimum age")
    journey.go(page.get_by_role("button", name="Save rules"), "age missing")
    expect(
        page.get_by_role("link", name=re.compile(r"^Rule 1, Minimum age \(years\)"))
    ).to_be_visible()
    first = page.get_by_role("group", name="Rule 1")
    first.get_by_label("Minimum age (years)").fill("18")
    journey.go(page.get_by_role("button", name="Add another rule"), "another row")
    second = page.get_by_role("group", name="Rule 2")
    second.get_by_label("Kind of rule").select_option(label="Lived experience")
    second.get_by_role("checkbox", name="Multiple sclerosis").check()
    second.get_by_role("checkbox", name="I live with it myself").check()
    second.get_by_label("For at least (years)").fill("2")
    journey.go(page.get_by_role("button", name="Save rules"), "rules saved")
    expect(page.get_by_role("status")).to_contain_text("Eligibility rules saved.")
    expect(page.get_by_test_id("setup")).to_contain_text("2 rules.")


def set_the_crisis_lines(journey: Journey) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Change Safety"), "safety")
    page.get_by_label("Crisis lines").fill("In crisis? Call or text 9-8-8, any time.")
    journey.go(page.get_by_role("button", name="Save"), "safety saved")
    expect(page.get_by_role("status")).to_contain_text("Safety saved.")


def appoint_the_first_coordinator(journey: Journey) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Add someone to the team"), "appoint")
    page.get_by_label("E-mail address").fill("robin.coordinator@example.org")
    page.get_by_label("First name (for a new account)").fill("Robin")
    journey.go(page.get_by_role("button", name="Add to the team"), "appointed")
    expect(page.get_by_role("status")).to_contain_text(
        "robin.coordinator@example.org is now on the team as coordinator."
    )


def ask_for_support(journey: Journey) -> None:
    page = journey.page
    journey.open("/")
    journey.go(
        page.get_by_role("link", name=re.compile(f"^Ask for support.*{NAME}")), "request form"
    )
    expect(page.get_by_role("main")).to_contain_text("In crisis? Call or text 9-8-8, any time.")
    page.get_by_label("What name should we use for you?").fill("Jo")
    page.get_by_label("Phone number").fill("902 555 0142")
    page.get_by_role("group", name=re.compile(r"^How may we contact you\?")).get_by_label(
        "Phone call"
    ).check()
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()
    journey.go(page.get_by_role("button", name="Send my request"), "request received")
    expect(
        page.get_by_role("heading", name="Thank you. We have your request.", level=1)
    ).to_be_visible()


def test_an_administrator_sets_up_a_new_program_in_pages_and_its_first_request_arrives(
    journey: Journey, administrator: User, ms: Experience
) -> None:
    page = journey.page
    journey.sign_in(administrator.email, DEMO_PASSWORD)
    program = create_the_program(journey)
    open_the_ways_in(journey)
    set_the_rules(journey)
    set_the_crisis_lines(journey)
    appoint_the_first_coordinator(journey)
    journey.sign_out()

    ask_for_support(journey)

    journey.sign_in(administrator.email, DEMO_PASSWORD)
    journey.open_menu()
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    expect(page.get_by_role("main")).to_contain_text("Jo")
    request_ = SupportRequest.objects.get(program=program)
    assert request_.peer.first_name == "Jo"
    program.refresh_from_db()
    assert program.eligibility_rules == [
        {"kind": "minimum_age", "years": 18},
        {
            "kind": "lived_experience",
            "experiences": ["ms"],
            "relationships": ["self"],
            "minimum_years": 2,
        },
    ]
    assert Membership.objects.filter(
        program=program, role=Role.COORDINATOR, user__email="robin.coordinator@example.org"
    ).exists()
