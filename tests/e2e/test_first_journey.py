"""The first journey: a person asks for support, is matched, and the match's first contact is
logged and seen by the coordinator. Driven as people would do it, in a real browser."""

import datetime as dt
import re
import zoneinfo
from dataclasses import dataclass

import pytest
from django.utils import dateformat, formats, timezone, translation
from playwright.sync_api import Locator, Page, expect

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory
from alongside.accounts.models import User
from alongside.accounts.queries import time_zone_of
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match
from alongside.programs.models import ContactMethod, Experience, Program, Relationship
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

PEER_NAME = "Dana"


@dataclass
class Cast:
    program: Program
    coordinator: User
    best_supporter: Supporter  # lives with MS themself, like Dana
    other_supporter: Supporter  # cares for a family member with MS, and already has a match
    overdue_request: SupportRequest
    others_match: Match


@pytest.fixture
def cast(program_a: Program, ms: Experience, coordinator_a: User, supporter_a: Supporter) -> Cast:
    robin = SupporterFactory(
        program=program_a,
        user=UserFactory(email="robin.supporter@example.org", first_name="Robin"),
    )
    LivedExperienceFactory(supporter=robin, experience=ms, relationship=Relationship.FAMILY)
    received = timezone.now() - dt.timedelta(days=10)
    overdue = SupportRequestFactory(
        program=program_a, experience=ms, received_at=received, peer__first_name="Alex"
    )
    assert overdue.due_at < timezone.now()
    others_match = MatchFactory(
        program=program_a,
        supporter=robin,
        request__experience=ms,
        request__peer__first_name="Jordan",
    )
    return Cast(
        program=program_a,
        coordinator=coordinator_a,
        best_supporter=supporter_a,
        other_supporter=robin,
        overdue_request=overdue,
        others_match=others_match,
    )


def tab_to(page: Page, target: Locator, *, most: int = 80) -> list[str]:
    """Presses Tab until `target` has the focus; returns what was focused on the way."""
    visited: list[str] = []
    for _ in range(most):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return visited
        visited.append(
            page.evaluate(
                "() => document.activeElement.id || document.activeElement.textContent.trim()"
            )
        )
    raise AssertionError(f"Tab never reached {target}; it went through {visited}")


def ask_for_support(journey: Journey, cast: Cast) -> None:
    page = journey.page
    # The public home lists the program with its ways in: asking for support, volunteering.
    journey.open("/")
    program_card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=cast.program.name, level=3)
    )
    expect(program_card.get_by_role("link", name=re.compile("^Volunteer with us"))).to_be_visible()
    journey.go(program_card.get_by_role("link", name=re.compile("^Ask for support")), "ask form")
    expect(page.get_by_role("heading", name="Ask for peer support", level=1)).to_be_visible()

    # Keyboard only: the skip link comes first, then Tab to the button and press Enter.
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()  # it shows itself when focused
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()
    send = page.get_by_role("button", name="Send my request")
    passed = tab_to(page, send)
    assert "id_website" not in passed, "the hidden anti-bot field must not take the focus"
    journey.press_enter_on(send, "errors shown")

    summary_title = page.get_by_role("heading", name="Please check these answers")
    expect(summary_title).to_be_visible()
    # The summary takes the focus, so a screen reader reads the problems out at once.
    expect(summary_title.locator("xpath=..")).to_be_focused()
    for summary_link in (
        "What name should we use for you?: This field is required.",
        "E-mail address: Please give an e-mail address or a phone number.",
        "How may we contact you?: This field is required.",
        "What would you like support with?: This field is required.",
        "How does it touch your life?: This field is required.",
        re.compile(r"^I agree that the program .*: We need your agreement before we can help\."),
    ):
        expect(page.get_by_role("link", name=summary_link)).to_be_visible()
    name = page.get_by_label("What name should we use for you?")
    expect(name).to_have_attribute("aria-invalid", "true")
    expect(name).to_have_accessible_description(re.compile("This field is required"))
    expect(
        page.get_by_role("group", name=re.compile(r"^What would you like support with\?"))
    ).to_have_accessible_description(re.compile("This field is required"))
    agreement = page.get_by_role("checkbox", name=re.compile(r"^I agree that the program"))
    expect(agreement).to_have_accessible_description("We need your agreement before we can help.")

    # Now in plain language, as Dana would.
    name.fill(PEER_NAME)
    page.get_by_label("E-mail address").fill("dana.peer@example.net")
    page.get_by_label("Phone number").fill("416 555 0199")
    contact = page.get_by_role("group", name=re.compile(r"^How may we contact you\?"))
    contact.get_by_label("Phone call").check()
    contact.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Which language would you like to talk in?").select_option(label="English")
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    page.get_by_label("What would you like to talk about? (optional)").fill(
        "I was told I have MS in the spring. I would like to talk to someone who has been there."
    )
    agreement.check()
    journey.go(send, "request received")
    expect(
        page.get_by_role("heading", name="Thank you. We have your request.", level=1)
    ).to_be_visible()

    stored = SupportRequest.objects.exclude(
        pk__in=[cast.overdue_request.pk, cast.others_match.request_id]
    ).get()
    assert stored.peer.first_name == PEER_NAME
    assert stored.contact_methods == [ContactMethod.PHONE, ContactMethod.EMAIL]
    assert stored.relationship == Relationship.SELF
    calendar = cast.program.calendar
    expected_due = calendar.due_at(stored.received_at, cast.program.sla_business_days)
    assert stored.due_at == expected_due
    local_due = expected_due.astimezone(calendar.zone)
    assert calendar.is_business_day(local_due.date())
    with translation.override("en"):
        shown = dateformat.format(local_due, "l j F Y, H:i")  # as request_received.html shows it
    promise = page.get_by_role("paragraph").filter(has_text="A coordinator will contact you by")
    expect(promise).to_have_text(
        f"A coordinator will contact you by {shown} ({calendar.time_zone} time)."
    )


def match_the_request(journey: Journey, cast: Cast) -> None:
    page = journey.page
    journey.sign_in(cast.coordinator.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    expect(
        page.get_by_role("heading", name="Requests waiting for a match", level=1)
    ).to_be_visible()

    rows = page.get_by_role("table", name=re.compile(r"^Sorted by .Contact due by")).get_by_role(
        "row"
    )
    expect(rows).to_have_count(3)  # the header, then the two waiting requests
    expect(rows.nth(1).get_by_role("rowheader")).to_have_text(f"Alex · #{cast.overdue_request.pk}")
    expect(rows.nth(1)).to_contain_text("Overdue")
    dana = rows.nth(2).get_by_role("link", name=re.compile(rf"^{PEER_NAME} · #\d+$"))
    expect(dana).to_be_visible()
    expect(rows.nth(2)).not_to_contain_text("Overdue")

    journey.go(dana, "request detail")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(rf"^{PEER_NAME} — request #\d+$")
    )

    best = cast.best_supporter.display_name
    other = cast.other_supporter.display_name
    candidates = page.get_by_test_id("candidate").get_by_role("heading", level=3)
    points = r"[\d.]+ points"
    expect(candidates).to_have_text(
        [re.compile(rf"^\s*{best}\s+{points}\s*$"), re.compile(rf"^\s*{other}\s+{points}\s*$")]
    )
    first_points, second_points = (
        float(re.search(r"([\d.]+) points", text).group(1))  # type: ignore[union-attr]
        for text in candidates.all_text_contents()
    )
    assert first_points > second_points, "the better-placed supporter must come first"
    expect(page.get_by_role("link", name=f"Match with {other}")).to_be_visible()
    journey.go(page.get_by_role("link", name=f"Match with {best}"), "match confirmation")
    # Starting sends introductions to two people: the page says so before anything is sent.
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Match {PEER_NAME} with {best}?")
    expect(page.get_by_test_id("what-happens").get_by_role("listitem")).to_have_count(2)
    expect(page.get_by_role("link", name="Go back without matching")).to_be_visible()
    journey.go(
        page.get_by_role("button", name="Start the match and send both messages"), "match started"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{PEER_NAME} and {best}")
    expect(page.get_by_role("status")).to_have_text(
        f"Matched with {best}. Introductions are on their way."
    )
    journey.sign_out()


def log_the_first_contact(journey: Journey, cast: Cast) -> dt.datetime:
    """The supporter logs a 45-minute phone call; returns when it took place (to the minute)."""
    page = journey.page
    supporter = cast.best_supporter
    journey.sign_in(supporter.user.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Matches", exact=True), "supporter's matches")
    expect(page.get_by_role("heading", name="Matches", level=1)).to_be_visible()

    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and Dana: Robin's match with Jordan is not theirs
    expect(page.get_by_role("main")).not_to_contain_text("Jordan")
    journey.go(rows.nth(1).get_by_role("link", name=re.compile(rf"^{PEER_NAME} · #")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{PEER_NAME} and {supporter.display_name}"
    )

    journey.go(page.get_by_role("link", name="Log a contact"), "contact form")
    expect(page.get_by_role("heading", name="Log a contact", level=1)).to_be_visible()
    # The form reads the time in the supporter's own zone: their program's, as they set none.
    zone = zoneinfo.ZoneInfo(time_zone_of(supporter.user))
    when = timezone.localtime(timezone.now() - dt.timedelta(hours=2), zone)
    page.get_by_label("When was it?").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("radio", name="Yes, we talked").check()
    page.get_by_label("How long, in minutes?").fill("45")
    page.get_by_role("group", name=re.compile(r"^How\?")).get_by_label("Phone call").check()
    page.get_by_role("checkbox", name="Emotional support").check()
    page.get_by_role("checkbox", name="Practical suggestions and coping skills").check()
    page.get_by_label("Private note (optional)").fill(
        "First call. We talked about pacing the week around fatigue."
    )
    journey.go(page.get_by_role("button", name="Save contact"), "contact saved")
    expect(page.get_by_role("status")).to_have_text("Contact saved.")
    journey.sign_out()
    return when.replace(second=0, microsecond=0)


def coordinator_sees_the_contact(journey: Journey, cast: Cast, contacted_at: dt.datetime) -> None:
    page = journey.page
    journey.sign_in(cast.coordinator.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Matches", exact=True), "coordinator's matches")
    expect(page.get_by_role("heading", name="Matches", level=1)).to_be_visible()
    journey.go(page.get_by_role("link", name=re.compile(rf"^{PEER_NAME} · #")))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{PEER_NAME} and {cast.best_supporter.display_name}"
    )

    time_together = page.get_by_role("region", name="Time together")
    expect(time_together.get_by_role("term")).to_have_text(
        ["Hours", "Conversations", "Attempts to reach them"]
    )
    expect(time_together.get_by_role("definition")).to_have_text(["0.8", "1", "0"])

    contacts = page.get_by_role("region", name="Contacts").get_by_role("listitem")
    expect(contacts).to_have_count(1)
    contact = contacts.first
    # Shown in the coordinator's zone: their program's, as they have not set one.
    zone = zoneinfo.ZoneInfo(time_zone_of(cast.coordinator))
    with translation.override("en"):
        when = formats.date_format(timezone.localtime(contacted_at, zone), "DATETIME_FORMAT")
    expect(
        contact.get_by_role("heading", level=3, name=f"{when} · Phone call · 45 minutes")
    ).to_be_visible()
    expect(contact).to_contain_text("Emotional support")
    expect(contact).to_contain_text("Practical suggestions and coping skills")
    expect(contact).to_contain_text("First call. We talked about pacing the week around fatigue.")
    expect(contact).to_contain_text(f"Logged by {cast.best_supporter.display_name}")


def test_a_person_asks_is_matched_and_the_first_contact_is_logged(
    journey: Journey, cast: Cast
) -> None:
    ask_for_support(journey, cast)
    match_the_request(journey, cast)
    contacted_at = log_the_first_contact(journey, cast)
    coordinator_sees_the_contact(journey, cast, contacted_at)
