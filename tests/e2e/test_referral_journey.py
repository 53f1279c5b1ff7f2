"""Seed 004, in a real browser: a clinician on a mental health team refers two clients to a
referral-only, goal-based peer support worker program, one agreeing that the clinician hears
who and how it ended, one not. A coordinator matches the first on the usual pages; the
clinician follows both referrals to "matched" and, once the matches close, sees the closing
summary of the first only."""

import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role, User
from alongside.core import blind_index
from alongside.intake.models import Peer, SupportRequest
from alongside.matches.models import ClosureReason, Match
from alongside.matches.services.closure import close_match
from alongside.matches.services.lifecycle import start_match
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Program
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def clinic(program_a: Program) -> Program:
    """Program A as seed 004 runs it: by referral only, toward goals, at one team."""
    program_a.accepts_public_requests = False
    program_a.accepts_referrals = True
    program_a.is_goal_based = True
    program_a.save()
    SiteFactory(program=program_a, name="Downtown mental health team")
    return program_a


@pytest.fixture
def clinician(clinic: Program) -> User:
    return user_with_role(Role.REFERRER, clinic, email="dr.nair@example.org", first_name="Priya")


def refer(
    journey: Journey, name: str, phone: str, *, goals: list[str], agrees_to_hear: bool
) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Refer a client"), "referral form")
    page.get_by_label("Client's first name").fill(name)
    page.get_by_label("Language they would like to talk in").select_option(label="English")
    page.get_by_role("group", name="How may the program contact them?").get_by_label(
        "Phone call"
    ).check()
    page.get_by_label("Phone number").fill(phone)
    page.get_by_label("Best times to reach them (optional)").fill("Weekday mornings")
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_label("First goal").fill(goals[0])
    page.get_by_label("Second goal (optional)").fill(goals[1])
    page.get_by_label("Your team or site").select_option(label="Downtown mental health team")
    page.get_by_role("checkbox", name=re.compile("agrees to share this")).check()
    if agrees_to_hear:
        page.get_by_role("checkbox", name=re.compile("told who their peer support worker")).check()
        page.get_by_role("checkbox", name=re.compile("short summary when the peer support")).check()
    journey.go(page.get_by_role("button", name="Send the referral"), f"{name} referred")
    expect(page.get_by_role("status")).to_contain_text("the referral is sent")
    expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    expect(page.get_by_text("Waiting for a match.")).to_be_visible()
    for goal in goals:
        expect(page.get_by_role("listitem").filter(has_text=goal)).to_be_visible()


def open_referral(journey: Journey, name: str) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="My referrals", exact=True), "my referrals")
    journey.go(page.get_by_role("link", name=re.compile(rf"^{name} —")), f"{name}'s referral")


def coordinator_matches(journey: Journey, coordinator: User, name: str) -> None:
    page = journey.page
    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    journey.go(page.get_by_role("link", name=re.compile(rf"^{name} · #")), f"{name}'s request")
    expect(page.get_by_text("Find a drop-in group close to home")).to_be_visible()
    journey.go(page.get_by_role("link", name="Match with Sam"), "match confirmation")
    journey.go(page.get_by_role("button", name="Start the match and send both messages"), "matched")
    expect(page.get_by_role("status")).to_contain_text("Matched with Sam.")
    journey.sign_out()


def close(match: Match, coordinator: User) -> None:
    close_match(
        match=match,
        closed_by=coordinator,
        reason=ClosureReason.COMPLETED,
        note="Private to the program: they found a group they like.",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="",
    )


def test_a_clinician_refers_two_clients_and_hears_back_as_each_agreed(
    journey: Journey,
    clinic: Program,
    clinician: User,
    coordinator_a: User,
    supporter_a: Supporter,
    other_supporter_a: Supporter,
) -> None:
    page = journey.page
    journey.sign_in(clinician.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="My referrals", level=1)).to_be_visible()
    two_goals = ["Find a drop-in group close to home", "Go to the food bank on my own"]
    refer(journey, "Kim", "604 555 0101", goals=two_goals, agrees_to_hear=True)
    open_referral(journey, "Kim")  # back through the list, as a clinician would
    journey.go(page.get_by_role("link", name="Back to my referrals"), "my referrals")
    lee_goals = ["Call my sister every week", "Walk daily"]
    refer(journey, "Lee", "604 555 0102", goals=lee_goals, agrees_to_hear=False)
    journey.sign_out()

    coordinator_matches(journey, coordinator_a, "Kim")
    lee = SupportRequest.objects.get(blind_index.matches(Peer, "first_name", "Lee", path="peer__"))
    start_match(support_request=lee, supporter=other_supporter_a, started_by=coordinator_a)
    kim_match = Match.objects.get(
        blind_index.matches(Peer, "first_name", "Kim", path="request__peer__")
    )
    assert [goal.description for goal in kim_match.goals.all()] == two_goals

    journey.sign_in(clinician.email, DEMO_PASSWORD)
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Kim")).to_contain_text("Matched · with Sam")
    expect(rows.filter(has_text="Lee")).to_contain_text("Matched")
    expect(rows.filter(has_text="Lee")).not_to_contain_text("Robin")
    open_referral(journey, "Lee")
    expect(page.get_by_text("The client did not agree that you are told who.")).to_be_visible()
    journey.sign_out()

    close(kim_match, coordinator_a)
    close(Match.objects.get(request=lee), coordinator_a)

    journey.sign_in(clinician.email, DEMO_PASSWORD)
    open_referral(journey, "Kim")
    summary = page.get_by_role("region", name="Where it stands")
    expect(summary.get_by_role("heading", name="Closing summary")).to_be_visible()
    expect(summary).to_contain_text("0 of 2")
    expect(summary).to_contain_text("Completed as planned")
    expect(page.get_by_text("they found a group they like")).to_have_count(0)
    open_referral(journey, "Lee")
    expect(page.get_by_role("heading", name="Closing summary")).to_have_count(0)
    expect(page.get_by_text("The client did not agree to a summary for you.")).to_be_visible()
    journey.sign_out()
