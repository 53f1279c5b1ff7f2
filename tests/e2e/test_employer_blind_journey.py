"""Employer-blind in the health-care workers' network (issue 17, item 1): its administrator adds
a manager at Brookline Community Hospital to the team as a supervisor tied to that facility,
through the pages; a colleague at Brookline asks for support through the public form, choosing
Brookline; the manager, signed in, finds the request on no page of theirs and by no search (a
direct address of it answers 404), while the network's central coordinator finds it by the
same search. Every page passes axe."""

import random
import re

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from playwright.sync_api import Page, expect

from alongside.accounts.factories import DEMO_PASSWORD, give_authenticator_app
from alongside.accounts.models import Membership, Role, User
from alongside.demo.hcw import build_hcw_program
from alongside.demo.shared import DEMO_DOMAIN, HCW_SLUG, Seeder, demo_login
from alongside.intake.models import SupportRequest
from alongside.programs.models import Program
from tests.e2e.conftest import LOG_ATTRIBUTE, Journey, PageLog

pytestmark = pytest.mark.django_db(transaction=True)

FACILITY = "Brookline Community Hospital"
MANAGER = "priya.manager@example.org"
COLLEAGUE = "Perpetua"  # the colleague's first name, found by no other row of the demo


@pytest.fixture
def network() -> tuple[Program, User, User]:
    """The demo network as `seed_demo` builds it; its administrator and central coordinator
    have set up their authenticator apps (staff sign in with two steps)."""
    seeder = Seeder(
        now=timezone.now(), rng=random.Random(17), password_hash=make_password(DEMO_PASSWORD)
    )
    build_hcw_program(seeder, demo_login(f"admin@{DEMO_DOMAIN}"))
    administrator = User.objects.get(email=f"admin@{DEMO_DOMAIN}")
    coordinator = User.objects.get(email=f"coordinator.hcw@{DEMO_DOMAIN}")
    for person in (administrator, coordinator):
        give_authenticator_app(person)
    return Program.objects.get(slug=HCW_SLUG), administrator, coordinator


def add_the_manager_to_the_team(journey: Journey, program: Program) -> None:
    page = journey.page
    journey.open(f"/programs/{program.pk}/settings/")
    setup = page.get_by_test_id("setup")
    expect(setup).to_contain_text("Employer-blind: a request is hidden from the team")
    journey.go(page.get_by_role("link", name="The team and their sites"))
    expect(page.get_by_role("heading", name="The team", level=1)).to_be_visible()
    journey.go(page.get_by_role("link", name="Add someone to the team"))
    page.get_by_label("E-mail address").fill(MANAGER)
    page.get_by_label("First name (for a new account)").fill("Priya")
    page.get_by_role("radio", name=re.compile(r"^Supervisor")).check()
    page.get_by_role("group", name=re.compile(r"^Sites")).get_by_label(FACILITY).check()
    journey.go(page.get_by_role("button", name="Add to the team"), "added")

    # Back on the team page: found by her e-mail, tied to Brookline only.
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_contain_text(
        f"{MANAGER} is now on the team as supervisor"
    )
    page.get_by_label("Find by name or e-mail").fill("priya.manager")
    journey.go(page.get_by_role("button", name="Find"), "found")
    row = page.get_by_test_id("team").get_by_role("listitem").filter(has_text=MANAGER)
    expect(row).to_contain_text("Supervisor")
    expect(row).to_contain_text(FACILITY)
    expect(row).not_to_contain_text("Whole program")


def ask_for_support_at_the_facility(journey: Journey) -> None:
    page = journey.page
    journey.open(f"/ask/{HCW_SLUG}/")
    page.get_by_label("What name should we use for you?").fill(COLLEAGUE)
    page.get_by_label("Phone number").fill("617 555 0188")
    contact = page.get_by_role("group", name=re.compile(r"^How may we contact you\?"))
    contact.get_by_label("Phone call").check()
    page.get_by_label("Which language would you like to talk in?").select_option(label="English")
    page.get_by_role("radio", name="Stress from working in health care").check()
    page.get_by_role("radio", name=re.compile(r"^Colleague")).check()
    page.get_by_label("What is your role at work?").fill("nurse")
    page.get_by_label("Where do you work?").select_option(label=FACILITY)
    page.get_by_label("What would you like to talk about? (optional)").fill(
        "My manager keeps scheduling me for doubles and I can't say no."
    )
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()
    journey.go(page.get_by_role("button", name="Send my request"), "request received")
    expect(
        page.get_by_role("heading", name="Thank you. We have your request.", level=1)
    ).to_be_visible()


def open_as_typed(journey: Journey, path: str) -> int:
    """Opens `path` as the person would type it and checks it with axe; returns its status. A
    refusal (403, 404) is the answer expected of some pages here, and Chromium reports every
    4xx page as a console error: exactly that one is pardoned, any other error still fails."""
    page: Page = journey.page
    response = page.goto(path)
    assert response is not None, path
    journey.check(path)
    if response.status in (403, 404):
        refused = re.compile(rf"{re.escape(path)}: .* status of {response.status} \(")
        log: PageLog = getattr(page, LOG_ATTRIBUTE)
        log.errors[:] = [error for error in log.errors if not refused.search(error)]
    return response.status


def shows_nothing_of_the_colleague(journey: Journey, path: str) -> int:
    """Opens `path`: nothing on it names the colleague. Returns the status it answered."""
    status = open_as_typed(journey, path)
    expect(journey.page.get_by_role("main")).not_to_contain_text(COLLEAGUE)
    return status


def finds_nothing(journey: Journey, path: str) -> int:
    """Opens a list searched for the colleague's name (`path`, its search in the address):
    the list counts no row and shows none naming her (the search box keeps her name)."""
    page: Page = journey.page
    status = open_as_typed(journey, path)
    if status == 200:
        expect(page.locator("#list-count")).to_have_text(re.compile(r"^0 "))
        expect(page.locator("#list-region tr").filter(has_text=COLLEAGUE)).to_have_count(0)
    else:
        expect(page.get_by_role("main")).not_to_contain_text(COLLEAGUE)
    return status


def test_a_manager_at_a_facility_cannot_find_a_colleagues_request_the_central_team_can(
    journey: Journey, network
) -> None:
    program, administrator, coordinator = network
    page = journey.page

    journey.sign_in(administrator.email, DEMO_PASSWORD)
    add_the_manager_to_the_team(journey, program)
    journey.sign_out()
    manager = User.objects.get(email=MANAGER)
    role = Membership.objects.get(user=manager, program=program, role=Role.SUPERVISOR)
    assert [site.name for site in role.sites.all()] == [FACILITY]

    ask_for_support_at_the_facility(journey)
    request_ = SupportRequest.objects.latest("pk")
    assert request_.peer.first_name == COLLEAGUE
    assert request_.site is not None
    assert request_.site.name == FACILITY

    # The manager chose her password from the invitation and set up her authenticator app.
    manager.set_password(DEMO_PASSWORD)
    manager.save(update_fields=["password"])
    give_authenticator_app(manager)
    journey.sign_in(MANAGER, DEMO_PASSWORD)
    assert shows_nothing_of_the_colleague(journey, "/") == 200
    # Every page of her menu.
    journey.open_menu()
    links = page.locator("#site-menu a.nav-link, #inbox-link")
    hrefs = links.evaluate_all("(links) => links.map((link) => link.getAttribute('href'))")
    paths = sorted({href for href in hrefs if href and href.startswith("/")})
    assert "/supervision/" in paths
    assert "/matches/" in paths
    for path in paths:
        assert shows_nothing_of_the_colleague(journey, path) == 200, path
    # The lists and their searches by the colleague's first name, in her menu or not.
    for path in ("/requests/", "/supporters/board/"):
        assert shows_nothing_of_the_colleague(journey, path) in (200, 403), path
    for path in (f"/requests/?q={COLLEAGUE}", f"/matches/?q={COLLEAGUE}"):
        assert finds_nothing(journey, path) in (200, 403), path
    assert shows_nothing_of_the_colleague(journey, f"/requests/{request_.pk}/") == 404
    journey.sign_out()

    # The central coordinator, tied to no site, finds it by the same search.
    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.open(f"/requests/?q={COLLEAGUE}")
    expect(page.locator("#list-count")).to_have_text("1 request")
    expect(page.locator("#list-region")).to_contain_text(COLLEAGUE)
