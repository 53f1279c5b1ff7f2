"""A coordinator, on a phone, words the French message that tells someone their request arrived:
from the program's settings to the list of its messages, a mistake caught by the preview, the
wording previewed with sample details, saved; then a request made in French queues it."""

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications.models import MessageTemplate, OutboxMessage
from alongside.programs.models import Program
from tests.e2e.conftest import Journey
from tests.e2e.test_send_again_journey import fill_in_the_request

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
SUBJECT = "Votre demande est bien arrivée, {{ recipient }}"
BODY = (
    "Bonjour {{ recipient }},\n\nMerci d'avoir écrit à {{ program }}. "
    "Une personne de notre équipe vous appellera d'ici le {{ due }}."
)


def test_a_coordinator_words_the_french_request_received_message_and_a_french_request_gets_it(
    journey: Journey, program_a: Program, coordinator_a: User
) -> None:
    page = journey.page
    page.set_viewport_size(PHONE)
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)

    journey.open(f"/programs/{program_a.pk}/settings/")
    journey.go(page.get_by_role("link", name="Read and change the messages"), "messages")
    expect(page.get_by_role("heading", name="Messages and their wording", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Requests for support", level=2)).to_be_visible()
    journey.go(
        page.get_by_role(
            "link",
            name="Read and change “When someone asks for support” to the person who asked",
        ),
        "request received",
    )
    expect(
        page.get_by_role("heading", name="When someone asks for support", level=1)
    ).to_be_visible()
    french = page.get_by_test_id("wording-fr")
    expect(french).to_contain_text("Nous avons bien reçu votre demande de soutien par les pairs")
    expect(french.get_by_test_id("source")).to_have_text("Default wording")

    # A placeholder misspelled: the preview says which ones the message can use.
    french.get_by_label("Subject (French)").fill(SUBJECT)
    french.get_by_label("Text (French)").fill(BODY.replace("{{ due }}", "{{ delai }}"))
    journey.go(french.get_by_role("button", name="Preview (French)"), "misspelled")
    french = page.get_by_test_id("wording-fr")
    expect(french).to_contain_text("“{{ delai }}” is not a placeholder of this message.")
    expect(french.get_by_label("Text (French)")).to_have_attribute("aria-invalid", "true")
    assert not MessageTemplate.objects.exists()

    french.get_by_label("Text (French)").fill(BODY)
    journey.go(french.get_by_role("button", name="Preview (French)"), "previewed")
    french = page.get_by_test_id("wording-fr")
    expect(french.get_by_test_id("preview-title")).to_have_text(
        "Preview of the wording above, not saved yet"
    )
    preview = french.get_by_test_id("preview")
    expect(preview).to_contain_text("Votre demande est bien arrivée, Camille")
    expect(preview).to_contain_text("Merci d'avoir écrit à Program A.")
    expect(preview).to_contain_text("vous appellera d'ici le 2026-06-04 17:00 EDT")
    assert not MessageTemplate.objects.exists()

    journey.go(french.get_by_role("button", name="Save (French)"), "saved")
    expect(page.get_by_role("status")).to_contain_text(
        "Saved: “When someone asks for support”, French."
    )
    expect(page.get_by_test_id("wording-fr").get_by_test_id("source")).to_have_text(
        "Your program's own wording"
    )
    assert AuditEvent.objects.filter(action="notifications.wording.changed").count() == 1
    journey.go(page.get_by_role("link", name="Back to every message"), "back to the list")
    expect(page.get_by_role("main")).to_contain_text("French: Your program's own wording")
    journey.sign_out()

    # Someone asks for support, to talk in French: their confirmation is written as worded.
    journey.open(f"/ask/{program_a.slug}/")
    fill_in_the_request(page)
    page.get_by_label("Which language would you like to talk in?").select_option(label="French")
    journey.go(page.get_by_role("button", name="Send my request"), "request received")
    message = OutboxMessage.objects.get(kind="intake.request.received")
    assert message.subject == "Votre demande est bien arrivée, Dana"
    assert message.body.startswith("Bonjour Dana,\n\nMerci d'avoir écrit à Program A. ")
