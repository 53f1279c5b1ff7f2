"""On a person's request, a coordinator downloads their copy (after confirming it is her), then
erases them: the page says what goes in counts, never a name, and asks for its code typed
back; she lands on the request's page, emptied. Every page is checked by axe."""

import json

import pytest
from django.urls import reverse
from playwright.sync_api import expect
from pypdf import PdfReader

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.core.models import AuditEvent
from alongside.intake.models import Peer
from alongside.privacy.tests.test_erasure import CANARY, a_person
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_coordinator_gives_a_person_their_copy_then_erases_them(
    journey: Journey, program_a, ms, coordinator_a
) -> None:
    person = a_person(program_a)
    page = journey.page
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    journey.open(reverse("intake:request_detail", args=[person.request.pk]))
    rights = page.get_by_role("region", name="On the person's request")
    journey.go(rights.get_by_role("link", name="Their copy"), "their copy")
    expect(page.get_by_role("heading", level=1)).to_have_text("Their copy")

    journey.go(
        page.get_by_role("link", name="Download the machine-readable copy (JSON)"), "confirm"
    )
    expect(page.get_by_role("heading", name="Confirm it is you", level=1)).to_be_visible()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    with page.expect_download() as download:
        page.get_by_role("button", name="Confirm").click()
    with open(download.value.path(), encoding="utf-8") as saved:
        copy = json.load(saved)
    assert copy["person"]["first_name"].startswith(CANARY)

    # The download leaves her on the confirmation page: back to the copy's page (confirmed now).
    journey.open(reverse("privacy:person_copy", args=[person.request.pk]))
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download the readable copy (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert CANARY in text
    assert AuditEvent.objects.filter(action="privacy.copy.exported").count() == 2

    journey.open(reverse("intake:request_detail", args=[person.request.pk]))
    journey.go(rights.get_by_role("link", name="Erase this person"), "what goes")
    expect(page.get_by_role("heading", level=1)).to_have_text("Erase this person")
    expect(page.get_by_test_id("erase-counts")).to_contain_text("1 match")
    expect(page.locator("main")).not_to_contain_text(CANARY)
    code = page.get_by_test_id("erase-code").inner_text()
    page.get_by_label("Type the confirmation code shown above").fill("NOPE00")
    journey.go(page.get_by_role("button", name="Erase this person for good"), "wrong code")
    expect(page.get_by_text("That is not the confirmation code shown")).to_have_count(2)
    page.get_by_label("Type the confirmation code shown above").fill(code)
    journey.go(page.get_by_role("button", name="Erase this person for good"), "erased")
    expect(page.get_by_text("The person was erased")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(CANARY)
    assert not Peer.objects.get(pk=person.peer.pk).first_name
