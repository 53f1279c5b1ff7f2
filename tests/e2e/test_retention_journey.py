"""A coordinator sets how long the program keeps its records, places a legal hold on a match
a complaint is about, and looks at what would go today: the held match is not counted, and no
name is shown. Every page is checked by axe."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.privacy.models import LegalHold, RetentionPolicy
from alongside.privacy.tests.test_retention import CANARY, records
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_sets_the_retention_places_a_hold_and_runs_the_dry_run(
    journey: Journey, program_a, ms, coordinator_a
) -> None:
    old = records(program_a, ms)
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    journey.open(reverse("programs:settings", args=[program_a.pk]))
    journey.go(page.get_by_role("link", name="Read and change the retention"), "the retention")
    expect(page.get_by_role("heading", level=1)).to_have_text("Retention")
    messages = page.get_by_label("Messages sent")
    expect(messages).to_have_value("12")
    messages.fill("3")
    journey.go(page.get_by_role("button", name="Save retention"), "below the minimum")
    expect(
        page.get_by_role("link", name=re.compile(r"Keep them at least 6 months\."))
    ).to_be_visible()
    messages.fill("18")
    journey.go(page.get_by_role("button", name="Save retention"), "saved")
    expect(page.get_by_text("Retention saved.")).to_be_visible()
    assert RetentionPolicy.objects.get(program=program_a).messages_months == 18

    # A complaint is open about an old match: the coordinator keeps it.
    journey.open(reverse("matches:detail", args=[old.match.pk]))
    hold = page.get_by_role("region", name="Legal hold")
    journey.go(hold.get_by_role("link", name="Place a legal hold"), "the hold page")
    expect(page.get_by_role("heading", level=1)).to_have_text("Place a legal hold on this match")
    page.get_by_label("Why must the records be kept?").fill("Complaint 2026-114 is open.")
    journey.go(page.get_by_role("button", name="Place the hold"), "held")
    expect(page.get_by_text("Legal hold placed: nothing of this match goes.")).to_be_visible()
    expect(hold).to_contain_text("This match is kept")
    expect(hold.get_by_role("link", name="Place a legal hold")).to_have_count(0)
    assert LegalHold.objects.in_force().get().match_id == old.match.pk

    # What would go today: the held match and its request are not counted; nobody is named.
    journey.open(reverse("privacy:retention", args=[program_a.pk]))
    journey.go(page.get_by_role("link", name="See what would go today"), "the dry run")
    table = page.get_by_test_id("dry-run")
    expect(table.get_by_role("row")).to_have_count(6)
    expect(table.get_by_role("row", name=re.compile(r"^Closed matches"))).to_contain_text("0")
    expect(table.get_by_role("row", name=re.compile(r"^Applications"))).to_contain_text("1")
    expect(page.get_by_test_id("held")).to_have_text(
        re.compile(r"1 legal hold in force keeps its records\.")
    )
    expect(page.locator("body")).not_to_contain_text(CANARY)
