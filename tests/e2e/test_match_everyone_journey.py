"""Match everyone waiting as background work, in a browser: the coordinator starts a run from
the request queue, watches its progress while the worker works, is taken to the review when it
ends, pages through the drafts and sends them all."""

import re
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.intake.factories import SupportRequestFactory
from alongside.matching import runs, tasks
from alongside.matching.models import MatchingRun, Proposal, ProposalStatus
from alongside.matching.run_pages import DRAFTS_PER_PAGE
from alongside.programs.factories import ExperienceFactory, ProgramFactory
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

WAITING = DRAFTS_PER_PAGE + 2


@pytest.fixture
def program_with_many_waiting():
    grief = ExperienceFactory(slug="grief", name="Grief")
    program = ProgramFactory(slug="grief", name="Grief Peer Support", experiences=[grief])
    for supporter in SupporterFactory.create_batch(WAITING, program=program):
        LivedExperienceFactory(supporter=supporter, experience=grief)
    SupportRequestFactory.create_batch(WAITING, program=program, experience=grief)
    return program, user_with_role(Role.COORDINATOR, program, email="dana@example.org")


@pytest.fixture
def worker_held_back(monkeypatch):
    """The run waits in the queue until the test works it, as a busy worker would."""
    monkeypatch.setattr(
        runs,
        "tasks",
        SimpleNamespace(
            match_everyone=SimpleNamespace(enqueue=lambda run_id: None), send_run=tasks.send_run
        ),
    )


def test_the_coordinator_follows_a_run_to_its_review_pages_through_it_and_sends_all(
    journey: Journey, program_with_many_waiting, worker_held_back
):
    _program, coordinator = program_with_many_waiting
    page = journey.page

    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    journey.open("/requests/")
    journey.go(page.get_by_role("link", name="Match everyone waiting"))
    expect(page.get_by_text(f"{WAITING} people are waiting for a supporter.")).to_be_visible()
    journey.go(page.get_by_role("button", name="Propose matches for everyone waiting"))

    progress = page.get_by_test_id("run-progress")
    expect(page.get_by_role("heading", name="Matching everyone waiting")).to_be_visible()
    expect(progress).to_have_attribute("aria-live", "polite")
    expect(progress).to_contain_text("Waiting for its turn")
    expect(page.get_by_role("link", name="Refresh")).to_be_visible()

    run = MatchingRun.objects.get()
    runs.run_matching(run.pk)  # the worker

    # The page asks again every few seconds and, the run finished, goes on to the review.
    page.wait_for_url(re.compile(rf"/matching/runs/{run.batch}/$"), timeout=15_000)
    journey.check("review, first page")
    expect(page.get_by_role("heading", name="Review the proposed matches")).to_be_visible()
    expect(page.get_by_test_id("draft")).to_have_count(DRAFTS_PER_PAGE)
    journey.go(page.get_by_role("link", name="Next"), "review, second page")
    expect(page.get_by_test_id("draft")).to_have_count(WAITING - DRAFTS_PER_PAGE)

    journey.go(page.get_by_role("button", name=f"Approve and send {WAITING} proposals"))
    expect(page.get_by_role("status")).to_contain_text(f"{WAITING} proposals are on their way.")
    statuses = set(Proposal.objects.filter(batch=run.batch).values_list("status", flat=True))
    assert statuses == {ProposalStatus.PROPOSED}
