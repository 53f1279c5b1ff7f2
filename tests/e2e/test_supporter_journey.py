"""The supporter journey: one person applies and is found not eligible, and sees why; another
applies, moves through every step on the board, cannot be matched while the background check is
pending, becomes ready, and is paused automatically when a training expires."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.core import blind_index
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import SupportRequest
from alongside.periodic.runner import run_job
from alongside.programs.models import Experience, Program
from alongside.supporters import jobs
from alongside.supporters.models import Application, Supporter, SupporterStatus
from alongside.supporters.services.pipeline import create_default_pipeline
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

SELF_ASSESSMENT = "I am at a place in my own journey where I can support others."


@pytest.fixture
def ms_program(program_a: Program) -> Program:
    program_a.name = "MS Peer Support"
    program_a.eligibility_rules = [
        {"kind": "minimum_age", "years": 18},
        {
            "kind": "any_of",
            "rules": [
                {
                    "kind": "lived_experience",
                    "experiences": ["ms"],
                    "relationships": ["self"],
                    "minimum_years": 2,
                },
                {"kind": "lived_experience", "experiences": ["ms"], "relationships": ["family"]},
            ],
        },
        {"kind": "self_assessment", "statement": SELF_ASSESSMENT},
    ]
    program_a.save()
    create_default_pipeline(program=program_a, created_by=None)
    return program_a


def apply(journey: Journey, program: Program, *, name: str, email: str, since: int) -> None:
    page = journey.page
    journey.open(f"/apply/{program.slug}/")
    expect(page.get_by_role("heading", name="Become a peer supporter", level=1)).to_be_visible()
    page.get_by_label("First name").fill(name)
    page.get_by_label("Last name").fill("Applicant")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Date of birth").fill("1980-04-12")
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    page.get_by_label("Since when? The month").select_option(str(timezone.localdate().month))
    page.get_by_label("Since when? The year").fill(str(since))
    page.get_by_role("checkbox", name=SELF_ASSESSMENT).check()
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()
    journey.go(page.get_by_role("button", name="Send my application"), "application sent")
    expect(
        page.get_by_role("heading", name="Thank you for your application", level=1)
    ).to_be_visible()


def mark_current_step_done(journey: Journey, name: str, step_heading: str) -> None:
    page = journey.page
    section = page.get_by_role("region", name=re.compile(rf"^{step_heading}"))
    expect(section.get_by_role("rowheader")).to_have_text([name])
    section.get_by_role("checkbox", name=f"Choose {name}").check()
    # The board updates in place (htmx): the same page, its live region saying what moved.
    page.get_by_role("button", name="Mark their current step done").click()
    expect(page.get_by_role("status")).to_contain_text("Moved 1 on to their next step.")
    journey.check(step_heading)


def test_a_supporter_applies_is_readied_step_by_step_and_paused_when_a_training_expires(
    journey: Journey, ms_program: Program, ms: Experience, coordinator_a: User
) -> None:
    page = journey.page
    this_year = timezone.localdate().year
    waiting = SupportRequestFactory(program=ms_program, experience=ms, peer__first_name="Dana")

    # Someone diagnosed last year applies and is told, kindly, which rule they do not meet.
    apply(journey, ms_program, name="Casey", email="casey@example.net", since=this_year - 1)
    reasons = page.get_by_test_id("reasons").get_by_role("listitem")
    expect(reasons).to_have_count(1)
    expect(reasons).to_contain_text("for at least 2 years")
    casey = Application.objects.get(blind_index.matches(Application, "first_name", "Casey"))
    assert casey.reasons
    assert casey.supporter is None

    # Alex has lived with MS for years and is eligible.
    apply(journey, ms_program, name="Alex", email="alex@example.net", since=this_year - 8)
    expect(page.get_by_role("main")).to_contain_text("A coordinator will contact you")
    alex = Supporter.objects.get(user__email="alex@example.net")

    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Supporters", exact=True), "board")
    expect(page.get_by_role("heading", name="Supporters on their way", level=1)).to_be_visible()
    journey.go(page.get_by_role("link", name=f"Casey · #{casey.pk}"), "application kept")
    expect(page.get_by_role("main")).to_contain_text("for at least 2 years")
    journey.go(page.get_by_role("link", name="Supporters", exact=True), "board again")

    for step, next_step in (
        ("Screening call", "Interview"),
        ("Interview", "References"),
        ("References", "Background check"),
    ):
        mark_current_step_done(journey, "Alex", step)
        expect(page.get_by_role("region", name=re.compile(rf"^{next_step}"))).to_be_visible()

    # The background check is requested: Alex cannot be matched yet, and the refusal says why.
    journey.go(page.get_by_role("link", name="Alex", exact=True), "supporter page")
    today = timezone.localdate()
    checks = page.get_by_role("region", name="Background checks")
    checks.get_by_label("Kind of check").select_option(label="Vulnerable sector check")
    checks.get_by_role("radio", name="Pending").check()
    checks.get_by_label("Requested on").fill(today.isoformat())
    journey.go(checks.get_by_role("button", name="Save check"), "check pending")
    expect(page.get_by_test_id("missing")).to_contain_text("Background check is pending")

    match = page.get_by_role("region", name="Match")
    match.get_by_label("Waiting request").fill("Dana")
    match.get_by_role("radio", name=re.compile(f"^Dana · #{waiting.pk}")).check()
    journey.go(match.get_by_role("button", name="Match with this request"), "match refused")
    expect(page.get_by_role("main")).to_contain_text(
        "Alex cannot be matched: is not ready to be matched (in screening); "
        "background check is pending"
    )
    assert SupportRequest.objects.get(pk=waiting.pk).status == "new"

    # The check clears and the trainings are done.
    checks = page.get_by_role("region", name="Background checks")
    checks.get_by_label("Kind of check").select_option(label="Vulnerable sector check")
    checks.get_by_role("radio", name="Cleared", exact=True).check()
    checks.get_by_label("Requested on").fill(today.isoformat())
    checks.get_by_label("Cleared on").fill(today.isoformat())
    checks.get_by_label("Expires on").fill(today.replace(year=today.year + 3).isoformat())
    journey.go(checks.get_by_role("button", name="Save check"), "check cleared")
    for module in ("Foundations", "Boundaries", "Crisis response"):
        trainings = page.get_by_role("region", name="Trainings")
        trainings.get_by_role("combobox").select_option(label=module)
        trainings.get_by_label("Completed on").fill(today.isoformat())
        journey.go(trainings.get_by_role("button", name="Save training"), f"{module} done")
    expect(page.get_by_test_id("missing").get_by_role("listitem")).to_have_text(
        ["Has not signed the confidentiality agreement", "Has not signed the code of conduct"]
    )

    journey.go(page.get_by_role("link", name="Supporters", exact=True), "board")
    mark_current_step_done(journey, "Alex", "Confidentiality agreement")
    mark_current_step_done(journey, "Alex", "Code of conduct")
    expect(page.get_by_role("main")).to_contain_text("Nobody is on their way to ready just now.")
    alex.refresh_from_db()
    assert alex.status == SupporterStatus.ACTIVE
    journey.sign_out()

    # Alex signs in and sees they are ready.
    alex.user.set_password(DEMO_PASSWORD)
    alex.user.save()
    journey.sign_in("alex@example.net", DEMO_PASSWORD)
    journey.open("/me/")
    expect(page.get_by_role("main")).to_contain_text("Nothing: I am ready to be matched.")
    page.get_by_role("radio", name="2 — it is getting hard").check()
    journey.go(page.get_by_role("button", name="Send my check-in"), "check-in sent")
    expect(page.get_by_role("status")).to_contain_text("Thank you for telling us how you are.")
    page.get_by_label("What happened, briefly? (optional)").fill("A long call about a relapse.")
    journey.go(page.get_by_role("button", name="I need a debrief"), "debrief asked")
    expect(page.get_by_role("status")).to_contain_text("We have let your supervisor know.")
    journey.sign_out()

    # A year on, the Crisis response training (valid 12 months) has expired.
    with time_machine.travel(timezone.now() + dt.timedelta(days=368), tick=True):
        assert run_job(jobs.pause_on_expiry).changed == 1
        alex.refresh_from_db()
        assert alex.status == SupporterStatus.PAUSED

        journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
        journey.open(f"/supporters/{alex.pk}/")
        expect(page.get_by_role("main")).to_contain_text("Paused")
        expect(page.get_by_test_id("missing")).to_contain_text(
            "Has not completed the Crisis response training (expired"
        )
        expect(page.get_by_test_id("strain")).to_contain_text(
            "Said they are struggling (2 out of 5)"
        )
        expect(page.get_by_test_id("debriefs")).to_contain_text("A long call about a relapse.")


def test_a_coordinator_checks_a_file_of_supporters_and_a_bad_one_imports_nothing(
    journey: Journey, program_a: Program, ms: Experience, coordinator_a: User
) -> None:
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Supporters", exact=True), "board")
    journey.go(page.get_by_role("link", name="Import existing supporters from a file"), "import")
    expect(page.get_by_role("heading", name="Import supporters", level=1)).to_be_visible()

    page.get_by_label("Program").select_option(label=program_a.name)
    page.get_by_label("File (.csv or .xlsx)").set_input_files(
        files=[
            {
                "name": "supporters.csv",
                "mimeType": "text/csv",
                "buffer": b"email,first_name\nlee@example.org,Lee\nnot-an-address,Kim\n",
            }
        ]
    )
    journey.go(page.get_by_role("button", name="Import", exact=True), "report")

    expect(page.get_by_role("main")).to_contain_text("1 problem to fix: nothing was imported.")
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.nth(2)).to_contain_text("“not-an-address” is not an e-mail address.")
    assert not Supporter.objects.filter(program=program_a).exists()
