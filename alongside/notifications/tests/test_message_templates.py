"""A program's own wording for a kind of message, per language."""

import uuid

import pytest
from django.core.exceptions import ValidationError

from alongside.accounts.factories import UserFactory
from alongside.intake.models import Source
from alongside.intake.services import submit_support_request
from alongside.notifications.models import Channel, MessageTemplate, OutboxMessage
from alongside.notifications.notify import CHANNEL, RECIPIENT, MessageKind, notify

pytestmark = pytest.mark.django_db


def ask(program, ms, *, language: str) -> OutboxMessage:
    # A different address per language: the same answers sent again are one request.
    request_ = submit_support_request(
        program=program,
        source=Source.PUBLIC_FORM,
        submission_token=uuid.uuid4(),
        first_name="Camille",
        email=f"camille.{language}@example.net",
        contact_methods=["email"],
        language=language,
        experience=ms,
        relationship="self",
        consent=True,
    )
    return OutboxMessage.objects.get(idempotency_key=f"intake.request.received:{request_.pk}:email")


def test_a_french_speaking_peer_gets_the_programs_french_wording(program_a, ms):
    MessageTemplate.objects.create(
        program=program_a,
        key="intake.request.received",
        language="fr",
        subject="Nous avons reçu votre demande",
        body="Bonjour ! {{ program }} vous répondra bientôt.",
    )

    french = ask(program_a, ms, language="fr")
    english = ask(program_a, ms, language="en")

    assert french.subject == "Nous avons reçu votre demande"
    assert french.body == "Bonjour ! Program A vous répondra bientôt."
    assert english.subject == "We received your request for peer support"


def test_a_programs_own_wording_wins_over_the_wording_for_every_program(program_a, program_b, ms):
    MessageTemplate.objects.create(
        key="intake.request.received", language="en", subject="Everywhere", body="{{ body }}"
    )
    MessageTemplate.objects.create(
        program=program_a, key="intake.request.received", language="en", subject="Ours", body="x"
    )

    assert ask(program_a, ms, language="en").subject == "Ours"
    everywhere = ask(program_b, ms, language="en")
    assert everywhere.subject == "Everywhere"
    assert "A coordinator will contact you by" in everywhere.body


def test_a_recipients_own_language_chooses_the_wording(program_a):
    coordinator = UserFactory(language="fr-ca")
    MessageTemplate.objects.create(
        program=program_a,
        key="safety.escalation",
        language="fr",
        subject="Alerte : {{ subject }}",
        body="{{ recipient }} — {{ body }}",
    )

    (message,) = notify(
        kind=MessageKind("safety.escalation", subject="Urgent", body="Someone needs you & now."),
        recipients=[coordinator],
        context={},
        idempotency_key=("safety.escalation:1:0", RECIPIENT, CHANNEL),
        channels=[Channel.IN_APP],
        program=program_a,
    )

    assert message.subject == "Alerte : Urgent"
    assert message.body == f"{coordinator.display_name} — Someone needs you & now."


def test_wording_that_is_not_a_valid_template_is_refused_with_the_reason(program_a):
    template = MessageTemplate(
        program=program_a, key="intake.request.received", language="en", body="Hello {% if %}"
    )

    with pytest.raises(ValidationError) as refused:
        template.full_clean()

    assert "This wording cannot be used" in str(refused.value.message_dict["body"])
