"""Staff sign in with two steps: a new coordinator signs in with a password, is taken to set up
an authenticator app before anything else, keeps the recovery codes, reaches their work; the
next sign-in asks for the app's code."""

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD, code_for_secret, user_with_role
from alongside.accounts.models import Role
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

SET_UP = "/accounts/2fa/totp/activate/"


def test_a_new_coordinator_sets_up_two_step_sign_in_and_is_asked_for_a_code_next_time(
    journey: Journey, program_a: Program
) -> None:
    page = journey.page
    coordinator = user_with_role(
        Role.COORDINATOR,
        program_a,
        authenticator_app=False,
        email="noor.new@example.org",
        first_name="Noor",
    )

    journey.sign_in_with_password(coordinator.email, DEMO_PASSWORD)

    assert page.url.endswith(SET_UP)
    expect(page.get_by_role("heading", name="Set up two-step sign-in", level=1)).to_be_visible()
    # No staff page opens before the app is set up.
    journey.open("/requests/")
    assert page.url.endswith(SET_UP)

    secret = page.locator("#setup-key").inner_text().strip()
    page.get_by_label("The 6-digit code your app shows").fill("12345")
    journey.go(page.get_by_role("button", name="Turn on two-step sign-in"), "a wrong code")
    expect(page.get_by_text("That code did not work").first).to_be_visible()
    # The key stays the same: the app that scanned it still works.
    expect(page.locator("#setup-key")).to_have_text(secret)
    page.get_by_label("The 6-digit code your app shows").fill(code_for_secret(secret))
    journey.go(page.get_by_role("button", name="Turn on two-step sign-in"), "turned on")

    expect(page.get_by_role("heading", name="Your recovery codes", level=1)).to_be_visible()
    codes = page.get_by_role("list", name="Recovery codes").get_by_role("listitem")
    expect(codes).to_have_count(10)
    journey.go(page.get_by_role("link", name="I have kept them: go on"), "home")
    expect(page.get_by_role("heading", name="How your programs are doing", level=1)).to_be_visible()

    journey.sign_out()
    journey.sign_in_with_password(coordinator.email, DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Type your code", level=1)).to_be_visible()
    journey.type_authenticator_code(coordinator)
    expect(page.get_by_role("heading", name="How your programs are doing", level=1)).to_be_visible()
