"""A coordinator keeps the resource directory and a match's plan (extension, check-in, goals);
a supporter shares a resource in a contact, and the coordinator sees it counted. Every page is
checked with axe on the way."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.matches.factories import CheckInFactory, MatchFactory
from alongside.matches.models import GoalStatus, Match
from alongside.programs.models import Experience, Program
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

CSV_TEXT = (
    "name,offers,category,region,languages,contact,eligibility,last_reviewed\n"
    "Food bank,Weekly groceries,food,Ottawa,en,613 555 0101,,2026-05-01\n"
)


@pytest.fixture
def match(program_a: Program, ms: Experience, supporter_a: Supporter) -> Match:
    program_a.is_goal_based = True
    program_a.save()
    match = MatchFactory(
        program=program_a,
        supporter=supporter_a,
        request__experience=ms,
        request__peer__first_name="Dana",
        planned_end_on=timezone.localdate() + dt.timedelta(weeks=20),
    )
    CheckInFactory(match=match, month=1, due_on=timezone.localdate())
    return match


def open_match(journey: Journey) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name=re.compile(r"^Dana · #")), "match")


def coordinator_keeps_the_directory(journey: Journey, tmp_path) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name="Resources"), "directory")
    journey.go(page.get_by_role("link", name="Add a resource"), "add resource")
    page.get_by_role("textbox", name="Name (required)", exact=True).fill("Peer café")
    page.get_by_role("textbox", name="What it offers (required)", exact=True).fill(
        "A weekly drop-in for people living with MS."
    )
    page.get_by_label("Category").select_option(label="Social and community")
    page.get_by_label("Region (optional)").fill("Ottawa")
    page.get_by_role("checkbox", name="French").check()
    journey.go(page.get_by_role("button", name="Save resource"), "resource saved")
    expect(page.get_by_role("status")).to_have_text("Resource saved.")

    journey.go(page.get_by_role("link", name="Import from CSV"), "import")
    upload = tmp_path / "resources.csv"
    upload.write_text(CSV_TEXT)
    page.get_by_label("CSV file").set_input_files(upload)
    journey.go(page.get_by_role("button", name="Import"), "imported")
    expect(page.get_by_role("status")).to_have_text("Imported: 1 added, 0 updated.")

    # The directory narrows in place: by language, then by what a resource offers.
    expect(page.locator("#list-count")).to_have_text("2 resources")
    page.get_by_label("Language").select_option(label="French")
    expect(page.locator("#list-count")).to_have_text("1 resource")
    journey.check("in French")
    page.get_by_label("Name or what it offers").fill("drop-in")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"q=drop-in"))
    expect(page.get_by_test_id("resource")).to_have_count(1)
    expect(page.get_by_test_id("resource")).to_contain_text("Peer café")
    journey.check("searched")


def coordinator_keeps_the_plan(journey: Journey) -> None:
    page = journey.page
    open_match(journey)
    journey.go(page.get_by_role("link", name="Extend"), "extend")
    later = timezone.localdate() + dt.timedelta(weeks=30)
    page.get_by_label("New planned end").fill(later.isoformat())
    journey.go(page.get_by_role("button", name="Save the new end"), "extended")
    expect(page.get_by_role("status")).to_have_text("The planned end is moved.")
    expect(page.get_by_test_id("history")).to_contain_text("Extended")

    journey.go(page.get_by_role("link", name="1-month check-in"), "check-in")
    page.get_by_role("radio", name="Short form").check()
    page.get_by_role("checkbox", name="We heard from the person").check()
    journey.go(page.get_by_role("button", name="Save check-in"), "check-in saved")
    expect(page.get_by_test_id("checkins")).to_contain_text("1-month check-in · done")

    journey.go(page.get_by_role("link", name="Add a goal"), "add goal")
    page.get_by_label("The goal, in the person's words").fill("Go back to the pool")
    journey.go(page.get_by_role("button", name="Save goal"), "goal saved")
    journey.go(page.get_by_role("link", name="Go back to the pool"), "goal progress")
    page.get_by_label("Progress note").fill("Swam twice this week.")
    page.get_by_role("radio", name="Achieved").check()
    journey.go(page.get_by_role("button", name="Save progress"), "progress saved")
    expect(page.get_by_test_id("goals")).to_contain_text("Go back to the pool · Achieved")


def supporter_shares_a_resource(journey: Journey) -> None:
    page = journey.page
    open_match(journey)
    journey.go(page.get_by_role("link", name="Log a contact"), "contact form")
    page.get_by_label("How long, in minutes?").fill("30")
    page.get_by_role("group", name=re.compile(r"^How\?")).get_by_label("Phone call").check()
    page.get_by_role("checkbox", name="Referral and resource information").check()
    page.get_by_role("group", name="Resources you shared (optional)").get_by_label(
        "Peer café"
    ).check()
    journey.go(page.get_by_role("button", name="Save contact"), "contact saved")
    expect(page.get_by_test_id("contact")).to_contain_text("Resources shared: Peer café")


def test_directory_plan_and_a_shared_resource(
    journey: Journey, match: Match, coordinator_a: User, supporter_a: Supporter, tmp_path
) -> None:
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    coordinator_keeps_the_directory(journey, tmp_path)
    coordinator_keeps_the_plan(journey)
    journey.sign_out()

    journey.sign_in(supporter_a.user.email, DEMO_PASSWORD)
    supporter_shares_a_resource(journey)
    journey.sign_out()

    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name="Resources"), "directory")
    journey.go(page.get_by_role("link", name="How often they are shared"), "referrals")
    row = page.get_by_role("row", name=re.compile("Peer café"))
    expect(row.get_by_role("cell")).to_have_text(["Program A", "Ottawa", "1"])
    assert match.goals.get().status == GoalStatus.ACHIEVED
