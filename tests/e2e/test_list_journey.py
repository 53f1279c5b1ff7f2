"""A coordinator keeps the request queue: she narrows it to the overdue requests, sorts it by
name from its heading, searches a name, and each answer comes in place with its count read out,
the address keeping her choices (back and a reload show the same list); on a phone the table
scrolls within the page. She goes through the follow-up queue a list at a time, each tab counted
in the program she chooses. On the supporter list she finds who has waited longest at a step."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, MembershipFactory, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import CheckInFactory, ContactLogFactory, MatchFactory
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import StepKind
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.services.pipeline import create_default_pipeline
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def coordinator_with_a_queue():
    program = ProgramFactory(slug="ms", name="MS Peer Connect")
    now = timezone.now()
    for name, hours, days_ago in (("Zoe", -5, 3), ("Ana", -2, 5), ("Max", 30, 1), ("Lea", 50, 2)):
        SupportRequestFactory(
            program=program,
            peer__first_name=name,
            due_at=now + dt.timedelta(hours=hours),
            received_at=now - dt.timedelta(days=days_ago),
        )
    return user_with_role(Role.COORDINATOR, program, email="dana@example.org")


def names(page) -> list[str]:
    return [
        text.split(" · ")[0] for text in page.locator("#list-region tbody th").all_inner_texts()
    ]


def test_a_coordinator_narrows_sorts_and_searches_the_queue_in_place(
    journey: Journey, coordinator_with_a_queue
):
    page = journey.page
    journey.sign_in(coordinator_with_a_queue.email, DEMO_PASSWORD)
    journey.open("/requests/")
    expect(page.locator("#list-count")).to_have_text("4 requests")
    assert names(page) == ["Zoe", "Ana", "Max", "Lea"]

    # Choosing a due state updates the list in place and says the new count.
    page.get_by_label("Due").select_option(label="Overdue")
    expect(page.locator("#list-count")).to_have_text("2 requests")
    expect(page).to_have_url(re.compile(r"/requests/\?due=overdue&per_page=50&sort=due$"))
    assert names(page) == ["Zoe", "Ana"]
    journey.check("overdue only")

    # The heading sorts by when they came in, keeping the filter; the th says how it is sorted.
    # The name (encrypted) is no heading that sorts.
    expect(page.get_by_role("link", name="Request", exact=True)).to_have_count(0)
    page.get_by_role("link", name="Waiting since", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Waiting since ▲")
    expect(page).to_have_url(re.compile(r"due=overdue.*sort=waiting"))
    assert names(page) == ["Ana", "Zoe"]
    journey.check("sorted by waiting since")

    # A search (a whole name: it is encrypted) keeps the sort the heading chose.
    page.get_by_label("Name").fill("zoe")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#list-count")).to_have_text("1 request")
    expect(page).to_have_url(re.compile(r"q=zoe"))
    expect(page).to_have_url(re.compile(r"sort=waiting"))

    # A reload of the address shows the same list, the whole page.
    journey.open(page.url)
    assert names(page) == ["Zoe"]
    expect(page.get_by_label("Due")).to_have_value("overdue")

    # On a phone the table scrolls inside its box, not the page.
    page.set_viewport_size({"width": 375, "height": 800})
    journey.open("/requests/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 375


@pytest.fixture
def coordinator_of_two_programs():
    """Dana coordinates two programs: two check-ins due in MS, one follow-up in the other."""
    ms = ProgramFactory(slug="ms", name="MS Peer Connect")
    hcw = ProgramFactory(slug="hcw", name="Health-care workers")
    today = timezone.localdate()
    for name in ("Zoe", "Ana"):
        CheckInFactory(match=MatchFactory(program=ms, request__peer__first_name=name), due_on=today)
    ContactLogFactory(match=MatchFactory(program=hcw), follow_up_on=today)
    dana = user_with_role(Role.COORDINATOR, ms, email="dana@example.org")
    MembershipFactory(user=dana, program=hcw, role=Role.COORDINATOR)
    return dana


def tab_counts(page) -> list[str]:
    return page.locator("#list-tabs .badge").all_inner_texts()


def test_a_coordinator_goes_through_the_follow_up_queue_a_list_at_a_time(
    journey: Journey, coordinator_of_two_programs
):
    page = journey.page
    journey.sign_in(coordinator_of_two_programs.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Follow-up", exact=True), "follow-up queue")

    # It opens on the first list with something to chase; each tab says how many it holds.
    expect(page.get_by_role("heading", name="Check-ins due", level=2)).to_be_visible()
    expect(page.locator("#list-count")).to_have_text("2 check-ins due")
    assert tab_counts(page) == ["0", "0", "2", "1"]

    # Choosing a program narrows the list and counts the tabs again, in place.
    page.get_by_label("Program").select_option(label="Health-care workers")
    expect(page.locator("#list-count")).to_have_text("0 check-ins due")
    expect(page.locator("#list-tabs .badge")).to_have_text(["0", "0", "0", "1"])
    journey.check("another program")

    # A tab keeps the program chosen.
    journey.go(page.get_by_role("link", name=re.compile(r"^Follow-ups supporters")), "follow-ups")
    expect(page).to_have_url(re.compile(r"/follow-up/asked/\?program=\d+$"))
    expect(page.locator("#list-count")).to_have_text("1 follow-up due")
    expect(page.get_by_label("Program")).to_have_value(
        str(coordinator_of_two_programs.memberships.get(program__slug="hcw").program_id)
    )


@pytest.fixture
def coordinator_with_people_on_their_way():
    program = ProgramFactory(slug="ms", name="MS Peer Connect")
    create_default_pipeline(program=program, created_by=None)
    interview = program.pipeline_steps.get(kind=StepKind.INTERVIEW)
    for name, days in (("Zoe", 2), ("Ana", 12), ("Max", 30), ("Lea", 5)):
        person = SupporterFactory(
            program=program,
            user__first_name=name,
            user__preferred_name="",
            status=SupporterStatus.SCREENING,
        )
        since = timezone.now() - dt.timedelta(days=days)
        step = interview if name != "Lea" else program.pipeline_steps.get(kind=StepKind.REFERENCES)
        Supporter.objects.filter(pk=person.pk).update(current_step=step, step_since=since)
    return user_with_role(Role.COORDINATOR, program, email="dana@example.org")


def test_a_coordinator_finds_who_has_waited_longest_at_the_interview(
    journey: Journey, coordinator_with_people_on_their_way
):
    page = journey.page
    journey.sign_in(coordinator_with_people_on_their_way.email, DEMO_PASSWORD)
    journey.open("/supporters/")
    expect(page.locator("#list-count")).to_have_text("4 supporters")

    page.get_by_label("Waiting at the step").select_option(label="interview")
    expect(page.locator("#list-count")).to_have_text("3 supporters")
    journey.check("at the interview")

    # Days at this step, once: fewest first; again: the longest wait first.
    page.get_by_role("link", name="Days at this step", exact=True).click()
    expect(page.locator("th[aria-sort=ascending]")).to_have_text("Days at this step ▲")
    assert names(page) == ["Zoe", "Ana", "Max"]
    journey.check("fewest days first")
    page.get_by_role("link", name="Days at this step", exact=True).click()
    expect(page.locator("th[aria-sort=descending]")).to_have_text("Days at this step ▼")
    assert names(page) == ["Max", "Ana", "Zoe"]
    expect(page.locator("#list-region tbody tr").first).to_contain_text("30 days")
    journey.check("longest wait first")
