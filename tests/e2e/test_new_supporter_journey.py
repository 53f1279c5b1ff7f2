"""A new supporter's first steps, on a phone: the invitation e-mail, choosing a password, My
page, answering the proposal waiting there, and its alert in the inbox."""

import re

import pytest
from django.conf import settings
from django.core import mail
from playwright.sync_api import Page, expect

from alongside.accounts.models import User
from alongside.intake.models import SupportRequest
from alongside.matching import services as matching
from alongside.matching.models import Proposal, ProposalStatus
from alongside.programs.models import Program
from alongside.supporters import imports
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
NEW_SUPPORTER = (
    "email,first_name,last_name,status,languages,experience,relationship,since\n"
    "casey.new@example.org,Casey,Lam,active,en,ms,self,2015-03\n"
)


def fits_the_screen(page: Page) -> bool:
    """Nothing sticks out sideways: the page never scrolls horizontally."""
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


def invitation_path() -> str:
    (email,) = [
        message
        for message in mail.outbox
        if message.to == ["casey.new@example.org"] and "choose your password" in message.subject
    ]
    found = re.search(re.escape(settings.SITE_URL) + r"(/welcome/\S+/)", email.body)
    assert found, email.body
    return found.group(1)


def test_a_new_supporter_is_invited_chooses_a_password_and_answers_a_proposal_on_a_phone(
    journey: Journey,
    program_a: Program,
    request_a: SupportRequest,
    coordinator_a: User,
) -> None:
    imports.import_supporters(
        program=program_a,
        dataset=imports.read_file(NEW_SUPPORTER.encode(), "supporters.csv"),
        by=coordinator_a,
    )
    casey = User.objects.get(email="casey.new@example.org")
    proposal = matching.propose(
        support_request=request_a,
        supporter=casey.supporter_profiles.get(program=program_a),
        proposed_by=coordinator_a,
        send=True,
    )
    page = journey.page
    page.set_viewport_size(PHONE)

    journey.open(invitation_path())
    expect(page.get_by_role("heading", name="Welcome to Alongside")).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_label("Choose a password").fill("short")
    page.get_by_label("Type it again").fill("short")
    journey.go(page.get_by_role("button", name="Save my password"), "too short")
    expect(page.get_by_role("main")).to_contain_text("too short")
    page.get_by_label("Choose a password").fill("a quiet harbour at dawn")
    page.get_by_label("Type it again").fill("a quiet harbour at dawn")
    journey.go(page.get_by_role("button", name="Save my password"), "password chosen")
    expect(page.get_by_role("status")).to_contain_text("Your password is set")

    journey.sign_in("casey.new@example.org", "a quiet harbour at dawn")
    expect(page.get_by_role("heading", name="My page", level=1)).to_be_visible()
    assert fits_the_screen(page)
    waiting = page.get_by_test_id("waiting-for-answer")
    peer = request_a.peer.first_name
    expect(waiting).to_contain_text(f"Can you support {peer}?")
    expect(waiting).to_contain_text("Please answer by")
    expect(page.get_by_role("main")).not_to_contain_text("No matches yet")
    answer = waiting.get_by_role("link", name=re.compile("^Read and answer"))
    box = answer.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["width"] >= 300  # a full-width target on a phone

    journey.go(answer, "the proposal")
    assert fits_the_screen(page)
    page.get_by_role("radio", name="Yes, I can support them").check()
    journey.go(page.get_by_role("button", name="Send my answer"), "answered")
    expect(page.get_by_role("status")).to_contain_text("The coordinator will confirm the match")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED

    journey.open_menu()
    journey.go(page.get_by_role("link", name="My page"), "back home")
    expect(page.get_by_test_id("waiting-for-answer")).to_have_count(0)
    assert Proposal.objects.filter(supporter__user=casey, status="accepted").exists()

    # The proposal came as an in-app alert too: it waits, unread, in the inbox.
    journey.go(page.get_by_role("link", name=re.compile(r"^Inbox, 1 unread")), "inbox")
    assert fits_the_screen(page)
    alert = page.get_by_test_id("inbox-message")
    expect(alert).to_have_count(1)
    expect(alert).to_contain_text("Can you support someone new?")
    expect(alert.get_by_test_id("unread-label")).to_be_visible()
