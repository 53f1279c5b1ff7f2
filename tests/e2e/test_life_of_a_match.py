"""The life of a match, in a real browser: two months of contacts, the monthly report, the
coordinator's follow-up queue, a silent match nudged and escalated, and closure that frees the
supporter's place. Then outcomes answered by link at start and closure.

Time moves with time_machine; the live server runs in a thread of this process, so it moves too.
The dates are in 2027 so the browser (on the real clock) keeps the session cookies as valid.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import time_machine
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory
from alongside.accounts.models import User
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.matches import jobs
from alongside.matches.factories import MatchFactory
from alongside.matches.models import ClosureReason, Match
from alongside.matches.services.closure import close_match
from alongside.matches.services.lifecycle import start_match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.outcomes.factories import ProgramInstrumentFactory
from alongside.outcomes.models import ProgramInstrument
from alongside.periodic.runner import run_job
from alongside.privacy.factories import give_consent
from alongside.programs.models import Experience, Program, Relationship
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def toronto(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2027, month, day, hour, 0, tzinfo=TORONTO)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    traveller = time_machine.travel(toronto(1, 4), tick=True)
    coordinates = traveller.start()
    yield coordinates
    traveller.stop()


@dataclass
class Cast:
    program: Program
    coordinator: User
    sam: Supporter
    robin: Supporter
    dana_match: Match  # Sam's: contacts logged
    jordan_match: Match  # Robin's: silent
    waiting: SupportRequest


@pytest.fixture
def cast(
    clock: time_machine.Traveller,
    program_a: Program,
    ms: Experience,
    coordinator_a: User,
    supporter_a: Supporter,
) -> Cast:
    supporter_a.max_concurrent_matches = 1
    supporter_a.save()
    robin = SupporterFactory(
        program=program_a,
        user=UserFactory(email="robin.supporter@example.org", first_name="Robin"),
    )
    LivedExperienceFactory(supporter=robin, experience=ms, relationship=Relationship.FAMILY)
    return Cast(
        program=program_a,
        coordinator=coordinator_a,
        sam=supporter_a,
        robin=robin,
        dana_match=MatchFactory(
            program=program_a,
            supporter=supporter_a,
            request__experience=ms,
            request__peer__first_name="Dana",
        ),
        jordan_match=MatchFactory(
            program=program_a,
            supporter=robin,
            request__experience=ms,
            request__peer__first_name="Jordan",
        ),
        waiting=SupportRequestFactory(program=program_a, experience=ms, peer__first_name="Alex"),
    )


def open_match(journey: Journey, peer: str) -> None:
    page = journey.page
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name=re.compile(rf"^{peer} · #")), "match")


def log_a_contact(journey: Journey, *, minutes: str, method: str) -> None:
    page = journey.page
    open_match(journey, "Dana")
    journey.go(page.get_by_role("link", name="Log a contact"), "contact form")
    page.get_by_role("radio", name="Yes, we talked").check()
    page.get_by_label("How long, in minutes?").fill(minutes)
    page.get_by_role("group", name=re.compile(r"^How\?")).get_by_label(method).check()
    page.get_by_role("checkbox", name="Emotional support").check()
    journey.go(page.get_by_role("button", name="Save contact"), "contact saved")
    expect(page.get_by_role("status")).to_have_text("Contact saved.")


def sam_logs_contacts_over_two_months(
    journey: Journey, cast: Cast, clock: time_machine.Traveller
) -> None:
    for moment, minutes, method in (
        (toronto(1, 8), "45", "Phone call"),
        (toronto(1, 20), "30", "Video call"),
    ):
        clock.move_to(moment)
        journey.sign_in(cast.sam.user.email, DEMO_PASSWORD)
        log_a_contact(journey, minutes=minutes, method=method)
        journey.sign_out()


def robins_silent_match_is_nudged_then_escalated(cast: Cast, clock: time_machine.Traveller) -> None:
    to_robin = OutboxMessage.objects.filter(recipient=cast.robin.user, subject__isnull=False)
    clock.move_to(toronto(1, 18, 9))  # 13 days and 23 hours without contact
    run_job(jobs.check_no_contact)
    assert not to_robin.filter(idempotency_key__startswith="matches.no_contact").exists()

    clock.move_to(toronto(1, 18, 11))  # 14 days
    run_job(jobs.check_no_contact)
    nudge = to_robin.get(idempotency_key__startswith="matches.no_contact", channel=Channel.EMAIL)
    assert "Jordan" in nudge.subject
    assert "14 days" in nudge.body

    clock.move_to(toronto(1, 25, 11))  # 7 more days, still nothing
    run_job(jobs.check_no_contact)
    told = OutboxMessage.objects.get(recipient=cast.coordinator, channel=Channel.IN_APP)
    assert f"#{cast.jordan_match.pk}" in told.body


def sam_confirms_the_monthly_report(
    journey: Journey, cast: Cast, clock: time_machine.Traveller
) -> None:
    clock.move_to(toronto(2, 1, 0) + dt.timedelta(minutes=5))  # the month has just ended
    assert run_job(jobs.open_monthly_hours_reports).changed == 2  # Sam and Robin
    assert OutboxMessage.objects.filter(
        recipient=cast.sam.user, idempotency_key__startswith="matches.hours_report.opened"
    ).exists()

    clock.move_to(toronto(2, 3))
    page = journey.page
    journey.sign_in(cast.sam.user.email, DEMO_PASSWORD)
    log_a_contact(journey, minutes="20", method="Phone call")  # February's first
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name="Monthly hours"), "hours reports")
    journey.go(page.get_by_role("link", name="January 2027"), "january report")
    expect(page.get_by_role("heading", name="Hours for January 2027", level=1)).to_be_visible()
    logged = page.get_by_role("region", name="What was logged")
    expect(logged.get_by_role("term")).to_have_text(
        ["Hours", "Conversations", "Phone call", "Video call"]
    )
    expect(logged.get_by_role("definition")).to_have_text(["1.3", "2", "1", "1"])
    expect(logged).to_contain_text("The program expects 2.0\N{EN DASH}4.0 hours a month.")
    expect(page.get_by_label("Hours this month")).to_have_value("1.3")
    expect(page.get_by_label("Conversations this month")).to_have_value("2")
    page.get_by_label("Hours this month").fill("1.5")
    page.get_by_label("Anything the coordinator should know? (optional)").fill(
        "One short call was not logged."
    )
    journey.go(page.get_by_role("button", name="Confirm my hours"), "hours confirmed")
    expect(page.get_by_role("status")).to_have_text("Thank you. Your hours are confirmed.")
    row = page.get_by_role("row", name=re.compile("January 2027"))
    expect(row).to_contain_text("Confirmed")
    expect(row).to_contain_text("below the band")
    journey.sign_out()


def coordinator_follows_up_and_closes(journey: Journey, cast: Cast) -> None:
    page = journey.page
    journey.sign_in(cast.coordinator.email, DEMO_PASSWORD)
    # The queue opens on its first list with something to chase: Robin's January hours.
    journey.go(page.get_by_role("link", name="Follow-up", exact=True), "follow-up queue")
    expect(page.get_by_role("heading", name="Monthly hours not confirmed", level=2)).to_be_visible()
    missing = page.get_by_test_id("missing-report")
    expect(missing).to_have_count(1)
    expect(missing.get_by_role("rowheader")).to_have_text("Robin")
    expect(missing).to_contain_text("January 2027")
    silent_tab = page.get_by_role("link", name=re.compile(r"^Matches without contact"))
    expect(silent_tab).to_contain_text("1")
    journey.go(silent_tab, "matches without contact")
    silent = page.get_by_test_id("silent-match")
    expect(silent).to_have_count(1)
    expect(silent.first).to_contain_text(f"Jordan · #{cast.jordan_match.pk}")

    # Sam has one place and it is taken: Alex's request does not offer Sam yet.
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    journey.go(page.get_by_role("link", name=re.compile(r"^Alex · #")), "alex")
    expect(page.get_by_role("link", name="Match with Sam")).to_have_count(0)

    open_match(journey, "Dana")
    journey.go(page.get_by_role("link", name="Close the match"), "close form")
    page.get_by_role("group", name="How did the closure check-in take place?").get_by_label(
        "Call"
    ).check()
    page.get_by_role("checkbox", name="We heard from the person").check()
    page.get_by_role("checkbox", name="We heard from the supporter").check()
    page.get_by_label("What each side said (optional)").fill("Both found it helpful.")
    page.get_by_role("radio", name="Completed as planned").check()
    journey.go(page.get_by_role("button", name="Close the match"), "closed")
    expect(page.get_by_role("status")).to_have_text("The match is closed. Thank you.")
    expect(page.get_by_test_id("closure")).to_contain_text("Completed as planned")
    expect(page.get_by_role("link", name="Log a contact")).to_have_count(0)

    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    journey.go(page.get_by_role("link", name=re.compile(r"^Alex · #")), "alex again")
    expect(page.get_by_role("link", name="Match with Sam")).to_be_visible()
    journey.sign_out()


def test_two_months_of_a_match_reports_follow_up_and_closure(
    journey: Journey, cast: Cast, clock: time_machine.Traveller
) -> None:
    sam_logs_contacts_over_two_months(journey, cast, clock)
    robins_silent_match_is_nudged_then_escalated(cast, clock)
    sam_confirms_the_monthly_report(journey, cast, clock)
    coordinator_follows_up_and_closes(journey, cast)

    cast.dana_match.refresh_from_db()
    assert cast.dana_match.closure_reason == ClosureReason.COMPLETED


# ---- outcomes by link ----------------------------------------------------------------------


def answer_by_link(journey: Journey, match: Match, occasion: str, answer: str) -> None:
    page = journey.page
    link = OutboxMessage.objects.get(
        idempotency_key__startswith="outcomes.survey.sent",
        body__isnull=False,
        subject__isnull=False,
        idempotency_key__contains=f":{match.surveys.get(occasion=occasion).pk}:",
    )
    path = re.search(r"/survey/[\w-]+/", link.body)
    assert path is not None
    journey.open(path.group(0))
    expect(page.get_by_role("heading", name="Three-item loneliness scale", level=1)).to_be_visible()
    for question in ("lack companionship", "left out", "isolated from others"):
        page.get_by_role("group", name=re.compile(question)).get_by_label(answer).check()
    journey.go(page.get_by_role("button", name="Send my answers"), f"{occasion} answered")
    expect(page.get_by_role("heading", name="Thank you", level=1)).to_be_visible()


def test_outcomes_answered_by_link_at_start_and_closure_show_the_change(
    journey: Journey,
    clock: time_machine.Traveller,
    program_a: Program,
    request_a: SupportRequest,
    supporter_a: Supporter,
    coordinator_a: User,
) -> None:
    ProgramInstrumentFactory(program=program_a)
    give_consent(request_a)  # they agreed to the questionnaires when they asked
    match = start_match(support_request=request_a, supporter=supporter_a, started_by=coordinator_a)
    answer_by_link(journey, match, "start", "Often")

    clock.move_to(toronto(6, 1))
    close_match(
        match=match,
        closed_by=coordinator_a,
        reason=ClosureReason.COMPLETED,
        note="",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="",
    )
    answer_by_link(journey, match, "closure", "Hardly ever")

    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.open(f"/matches/{match.pk}/")
    expect(page.get_by_test_id("outcome-changes")).to_contain_text(
        "Start: 9 · Closure: 3 · Change: -6 (better)"
    )
    journey.go(page.get_by_role("link", name="Matches", exact=True), "matches")
    journey.go(page.get_by_role("link", name="Outcomes"), "outcomes")
    row = page.get_by_role("row", name=re.compile("Three-item loneliness scale"))
    expect(row.get_by_role("cell")).to_have_text(["100% (2/2)", "9", "3", "-6", "1"])
    journey.go(page.get_by_role("link", name="Questionnaires of Program A"), "questionnaires")
    page.get_by_role("group", name="Three-item loneliness scale").get_by_label(
        "At milestone check-ins"
    ).check()
    journey.go(page.get_by_role("button", name="Save questionnaires"), "questionnaires saved")
    expect(page.get_by_role("status")).to_have_text("The questionnaires are saved.")
    assert ProgramInstrument.objects.get(program=program_a).at_milestones
