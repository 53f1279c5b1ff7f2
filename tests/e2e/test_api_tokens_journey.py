"""An administrator makes an API token for a hospital's referral system on a phone-sized screen,
copies it from the one page that shows it, finds it listed (by its first characters only) and
revokes it. Every page is checked by axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.api.models import ApiToken
from alongside.api.tokens import hash_of
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_makes_a_token_sees_it_once_and_revokes_it(
    journey: Journey, program_a, administrator
) -> None:
    page = journey.page
    page.set_viewport_size({"width": 390, "height": 844})
    journey.sign_in(administrator.email, DEMO_PASSWORD)

    journey.open(reverse("programs:settings", args=[program_a.pk]))
    journey.go(page.get_by_role("link", name="Read and manage the API tokens"), "the tokens")
    expect(page.get_by_role("heading", level=1)).to_have_text("API tokens")
    journey.go(page.get_by_role("link", name="Make a token"), "the form")
    page.get_by_label("Name").fill("St. Paul's referral system")
    page.get_by_role("checkbox", name="Send referrals").check()
    journey.go(page.get_by_role("button", name="Make the token"), "made")

    field = page.get_by_label("The token")
    expect(field).to_have_value(re.compile(r"^alg_"))
    secret = field.input_value()
    token = ApiToken.objects.get()
    assert token.token_hash == hash_of(secret)
    expect(page.get_by_role("button", name="Copy")).to_be_visible()

    journey.go(page.get_by_role("link", name="I have copied it: back to the tokens"), "listed")
    listed = page.get_by_test_id("tokens")
    expect(listed).to_contain_text("St. Paul's referral system")
    expect(listed).to_contain_text(token.prefix)
    expect(listed).to_contain_text("Never used")
    expect(page.locator("body")).not_to_contain_text(secret)

    journey.go(listed.get_by_role("link", name=re.compile(r"^Revoke")), "asks first")
    journey.go(page.get_by_role("button", name="Revoke the token"), "revoked")
    expect(page.get_by_text("Token “St. Paul's referral system” revoked.")).to_be_visible()
    expect(page.get_by_test_id("tokens")).to_contain_text("Revoked")
    token.refresh_from_db()
    assert token.revoked_by == administrator
