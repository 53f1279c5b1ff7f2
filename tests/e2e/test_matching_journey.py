"""The matching journey in a health-care workers' network: the coordinator opens a nurse's
request, sees nurses from other facilities with the reasons they fit, asks why a nurse from
the same facility is missing and is told; runs "match everyone waiting" and approves; the
supporter accepts; the coordinator confirms and both get introductions."""

import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.models import Match
from alongside.matching.models import MatchingSettings, Proposal, ProposalStatus
from alongside.notifications.models import OutboxMessage
from alongside.programs.factories import ExperienceFactory, ProgramFactory, SiteFactory
from alongside.programs.models import Relationship
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def network():
    stress = ExperienceFactory(slug="work-stress", name="Stress at work")
    program = ProgramFactory(
        slug="hcw", name="Health Care Worker Peer Support", experiences=[stress]
    )
    MatchingSettings.objects.create(program=program, exclude_same_site=True)
    general = SiteFactory(program=program, name="General Hospital")
    north = SiteFactory(program=program, name="North Clinic")
    east = SiteFactory(program=program, name="East Medical Centre")

    def colleague(name: str, role: str, site, **fields):
        supporter = SupporterFactory(
            program=program,
            user=UserFactory(first_name=name, email=f"{name.lower()}@example.org"),
            work_role=role,
            site=site,
            **fields,
        )
        LivedExperienceFactory(
            supporter=supporter, experience=stress, relationship=Relationship.COLLEAGUE
        )
        return supporter

    colleague("Renee", "nurse", north, max_concurrent_matches=1)
    colleague("Jordan", "nurse", east, max_concurrent_matches=1)
    colleague("Casey", "nurse", general)
    colleague("Priya", "pharmacist", east)
    maya = SupportRequestFactory(
        program=program,
        experience=stress,
        relationship=Relationship.COLLEAGUE,
        work_role="nurse",
        site=general,
        peer__first_name="Maya",
    )
    SupportRequestFactory(
        program=program,
        experience=stress,
        relationship=Relationship.COLLEAGUE,
        work_role="pharmacist",
        site=north,
        peer__first_name="Leo",
    )
    coordinator = user_with_role(Role.COORDINATOR, program, email="dana@example.org")
    return program, maya, coordinator


def test_a_nurse_is_matched_with_a_nurse_from_another_facility_after_every_yes(
    journey: Journey, network
):
    _program, maya, coordinator = network
    page = journey.page

    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.open(f"/requests/{maya.pk}/")
    candidates = page.get_by_test_id("candidate")
    # The two nurses tie on points; the first to join comes first.
    expect(candidates.get_by_role("heading")).to_contain_text(["Renee", "Jordan", "Priya"])
    expect(candidates.first).to_contain_text("Works in a similar role: +15")
    expect(candidates.first).to_contain_text("Shares the lived experience: +30")
    expect(page.get_by_test_id("left-out")).to_contain_text(
        "Casey: works at the same site, and this program matches across sites"
    )

    page.get_by_label("Which supporter?").fill("cas")
    page.get_by_role("radio", name=re.compile("^Casey")).check()
    # The answer comes in place (htmx), under the form, and takes the focus.
    page.get_by_role("button", name="Ask why").click()
    expect(page.get_by_test_id("why-not-answer")).to_have_text(
        "Casey: works at the same site, and this program matches across sites."
    )
    expect(page.get_by_test_id("why-not-answer")).to_be_focused()
    journey.check("why not Casey")

    journey.go(page.get_by_role("link", name="Requests"))
    journey.go(page.get_by_role("link", name="Match everyone waiting"))
    journey.go(page.get_by_role("link", name=re.compile("^How this program matches")))
    expect(
        page.get_by_role("checkbox", name="Match people with someone from another site")
    ).to_be_checked()
    page.get_by_label("Works in a similar role").fill("150")
    journey.go(page.get_by_role("button", name="Save"), "weight out of range")
    expect(page.get_by_role("main")).to_contain_text("less than or equal to 100")
    page.get_by_label("Works in a similar role").fill("20")
    journey.go(page.get_by_role("button", name="Save"), "weights saved")
    expect(page.get_by_role("status")).to_contain_text("Matching settings saved.")
    journey.go(page.get_by_role("link", name="Requests"))
    journey.go(page.get_by_role("link", name="Match everyone waiting"))
    expect(page.get_by_text("2 people are waiting for a supporter.")).to_be_visible()
    journey.go(page.get_by_role("button", name="Propose matches for everyone waiting"))
    expect(page.get_by_role("heading", name="Review the proposed matches")).to_be_visible()
    expect(page.get_by_test_id("draft")).to_have_count(2)
    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith="matching.proposal"
    ).exists()
    journey.go(page.get_by_role("button", name="Approve and send 2 proposals"))
    expect(page.get_by_role("status")).to_contain_text("2 proposals are on their way.")
    journey.sign_out()

    proposal = Proposal.objects.select_related("supporter__user").get(request=maya)
    assert proposal.supporter.work_role == "nurse"
    assert proposal.supporter.site.name != "General Hospital"
    supporter = proposal.supporter.user
    journey.sign_in(supporter.email, DEMO_PASSWORD)
    journey.open("/me/")
    waiting = page.get_by_test_id("waiting-for-answer")
    expect(waiting).to_contain_text("Can you support Maya?")
    journey.go(waiting.get_by_role("link", name="Read and answer — Maya"))
    page.get_by_role("radio", name="Yes, I can support them").check()
    journey.go(page.get_by_role("button", name="Send my answer"), "accepted")
    expect(page.get_by_role("status")).to_contain_text("The coordinator will confirm the match")
    journey.sign_out()

    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.go(page.get_by_role("link", name="Proposals"))
    accepted = page.locator("#list-region tbody tr", has_text="Accepted")
    journey.go(accepted.get_by_role("link", name=re.compile(r"^Maya \(request")))
    journey.go(page.get_by_role("button", name="Confirm the match"), "match started")
    expect(page.get_by_role("status")).to_contain_text("Introductions are on their way")

    match = Match.objects.get(request=maya)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.CONFIRMED
    introduced = OutboxMessage.objects.filter(
        idempotency_key__startswith=f"matches.match.introduced:{match.pk}:"
    )
    assert introduced.filter(recipient=supporter).exists()
    assert maya.peer.email in [message.to_address for message in introduced]
