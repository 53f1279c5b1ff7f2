"""A coordinator's sign-in is paused after five wrong passwords; an administrator lifts the lock
from their menu and the coordinator signs in. Both browse from the live server's 127.0.0.1, so
the administrator's own sign-in shows that a lock holds only for the e-mail that was typed."""

import re

import pytest
from playwright.sync_api import Page, expect

from alongside.accounts.factories import DEMO_PASSWORD, user_with_role
from alongside.accounts.models import Role
from alongside.core.models import AuditEvent
from alongside.programs.models import Program
from tests.e2e.conftest import LOG_ATTRIBUTE, Journey, PageLog

pytestmark = pytest.mark.django_db(transaction=True)

WRONG_PASSWORD = "not-the-password"
LOCKED_OUT = "Signing in is paused"
LOCKED_OUT_STATUS = re.compile(r"/accounts/login/: .* status of 429 \(Too Many Requests\)$")


def pardon_the_locked_out_pages_status(page: Page) -> None:
    """The locked-out page answers 429 Too Many Requests on purpose, and Chromium reports every
    4xx page as a console error: drop exactly those, so that any other error still fails."""
    log: PageLog = getattr(page, LOG_ATTRIBUTE)
    log.errors[:] = [error for error in log.errors if not LOCKED_OUT_STATUS.search(error)]


def test_a_locked_out_coordinator_signs_in_after_an_administrator_lifts_the_lock(
    journey: Journey, program_a: Program
) -> None:
    page = journey.page
    coordinator = user_with_role(
        Role.COORDINATOR, program_a, email="robin.coordinator@example.org", first_name="Robin"
    )
    administrator = user_with_role(
        Role.ADMINISTRATOR, program_a, email="ada.admin@example.org", first_name="Ada"
    )

    paused = page.get_by_role("heading", name=LOCKED_OUT, level=1)
    wrong_passwords = 0
    while not paused.is_visible() and wrong_passwords < 6:
        journey.sign_in_with_password(coordinator.email, WRONG_PASSWORD)
        wrong_passwords += 1
    assert wrong_passwords == 5, f"paused after {wrong_passwords} wrong passwords, not 5"
    expect(page.get_by_test_id("lockout-ends")).to_have_text(
        re.compile(r"You can try again in 60 minutes, at \d")
    )
    # In the site's layout: its navigation and main landmark, not a bare error.
    expect(page.get_by_role("navigation").first).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Ask an administrator")
    # Even the right password is refused while the pause holds.
    journey.sign_in_with_password(coordinator.email, DEMO_PASSWORD)
    expect(paused).to_be_visible()

    journey.sign_in(administrator.email, DEMO_PASSWORD)
    journey.open_menu()
    journey.go(page.get_by_role("link", name="Sign-in locks"), "the locks")
    expect(page.get_by_role("heading", name="Sign-in locks", level=1)).to_be_visible()
    lock = page.get_by_test_id("lockout")
    expect(lock).to_have_count(1)
    expect(lock.get_by_role("rowheader")).to_have_text(coordinator.email)
    expect(lock.get_by_role("cell").first).to_have_text("127.0.0.1")
    lift = lock.get_by_role("link", name=re.compile(r"^Lift the lock"))
    # Its name says whose lock it lifts, for a screen reader going from button to button.
    expect(lift).to_have_accessible_name(re.compile(rf"{re.escape(coordinator.email)}"))
    journey.go(lift, "asked to confirm the lift")
    expect(
        page.get_by_role("heading", name=f"Lift the lock on {coordinator.email}?", level=1)
    ).to_be_visible()
    expect(page.get_by_test_id("what-happens")).to_contain_text("can try again at once")
    assert not AuditEvent.objects.filter(action="accounts.lockout.lifted").exists()
    journey.go(page.get_by_role("button", name="Lift the lock"), "lifted")
    expect(page.get_by_text("The lock is lifted")).to_be_visible()
    expect(page.get_by_text("Nobody is locked out of signing in.")).to_be_visible()
    assert AuditEvent.objects.filter(action="accounts.lockout.lifted", actor=administrator).exists()
    journey.sign_out()

    journey.sign_in(coordinator.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="How your programs are doing", level=1)).to_be_visible()
    pardon_the_locked_out_pages_status(page)
