"""A program's own wording of a kind of message: saved checked, put back, audited, and used."""

import pytest

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.notifications.models import MessageTemplate
from alongside.notifications.tests.test_message_templates import ask
from alongside.notifications.wording.kinds import kind_or_404
from alongside.notifications.wording.queries import Source as WordingSource
from alongside.notifications.wording.queries import wording_overview, wordings_of
from alongside.notifications.wording.services import revert_wording, save_wording
from alongside.notifications.wording.texts import Wording, WordingError, default_wording, preview

pytestmark = pytest.mark.django_db

RECEIVED = "intake.request.received"
FRENCH_SUBJECT = "Votre demande est bien arrivée"
FRENCH_BODY = "Bonjour {{ recipient }}, {{ program }} vous appellera d'ici le {{ due }}."


@pytest.fixture
def received():
    return kind_or_404(RECEIVED)


def save_french(program, coordinator, kind, **wording):
    return save_wording(
        kind=kind,
        program=program,
        language="fr",
        subject=wording.get("subject", FRENCH_SUBJECT),
        body=wording.get("body", FRENCH_BODY),
        by=coordinator,
    )


def test_a_coordinator_saves_the_french_wording_and_a_french_request_is_written_with_it(
    program_a, program_b, coordinator_a, received, ms
):
    save_french(program_a, coordinator_a, received)

    french = ask(program_a, ms, language="fr")
    assert french.subject == FRENCH_SUBJECT
    assert french.body.startswith("Bonjour Camille, Program A vous appellera d'ici le ")
    assert ask(program_a, ms, language="en").subject == "We received your request for peer support"
    assert ask(program_b, ms, language="fr").subject != FRENCH_SUBJECT  # only program A's


def test_saving_the_wording_is_audited_with_the_kind_the_language_and_what_it_said_before(
    program_a, coordinator_a, received
):
    template = save_french(program_a, coordinator_a, received)
    save_french(program_a, coordinator_a, received, subject="Bien reçu")

    first, second = AuditEvent.objects.filter(action="notifications.wording.changed").order_by("pk")
    assert first.actor == coordinator_a
    assert first.program_id == program_a.pk
    assert first.target_id == str(template.pk)
    assert first.data == {"kind": RECEIVED, "language": "fr", "before": None}
    assert second.data["before"] == {"subject": FRENCH_SUBJECT, "body": FRENCH_BODY}
    assert MessageTemplate.objects.get().subject == "Bien reçu"


def test_saving_the_same_wording_again_changes_nothing_and_audits_nothing(
    program_a, coordinator_a, received
):
    save_french(program_a, coordinator_a, received)
    save_french(program_a, coordinator_a, received, body=FRENCH_BODY + "\r\n\r\n")

    assert AuditEvent.objects.filter(action="notifications.wording.changed").count() == 1


@pytest.mark.parametrize(
    ("wording", "field", "problem"),
    [
        ({"body": "Bonjour {{ nom }}"}, "body", "“{{ nom }}” is not a placeholder of this message"),
        ({"body": "   "}, "body", "Write the text of the message"),
        ({"subject": ""}, "subject", "Write a subject"),
        ({"body": "Bonjour {% if x %}"}, "body", "Only placeholders can be used here"),
        ({"body": "Bonjour {{ recipient|upper }}"}, "body", "a placeholder is one name"),
        ({"body": "Bonjour {{ recipient"}, "body", "A placeholder is not closed"),
        ({"body": "Bonjour %(recipient)s"}, "body", "write {{ recipient }}"),
        ({"subject": "Deux\nlignes"}, "subject", "Keep the subject on one line."),
    ],
)
def test_wording_that_cannot_be_sent_is_refused_with_the_reason(
    program_a, coordinator_a, received, wording, field, problem
):
    with pytest.raises(WordingError) as refused:
        save_french(program_a, coordinator_a, received, **wording)

    assert any(problem in message for message in refused.value.problems[field])
    assert not MessageTemplate.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="notifications.wording").exists()


def test_an_unknown_placeholder_is_told_with_the_ones_the_message_can_use(
    program_a, coordinator_a, received
):
    with pytest.raises(WordingError) as refused:
        save_french(program_a, coordinator_a, received, body="{{ delai }}")

    (problem,) = refused.value.problems["body"]
    assert "It can use: {{ recipient }}, {{ program }}, {{ due }}, {{ subject }}" in problem


def test_a_language_the_program_does_not_offer_is_refused(program_a, coordinator_a, received):
    with pytest.raises(DomainError, match="not one of the program's languages"):
        save_wording(
            kind=received,
            program=program_a,
            language="es",
            subject="Hola",
            body="x",
            by=coordinator_a,
        )


def test_going_back_to_the_default_removes_the_programs_wording_and_audits_what_it_said(
    program_a, coordinator_a, received, ms
):
    template = save_french(program_a, coordinator_a, received)

    assert revert_wording(kind=received, program=program_a, language="fr", by=coordinator_a)

    assert not MessageTemplate.objects.exists()
    event = AuditEvent.objects.get(action="notifications.wording.reverted")
    assert event.target_id == str(template.pk)
    assert event.program_id == program_a.pk
    assert event.data["before"] == {"subject": FRENCH_SUBJECT, "body": FRENCH_BODY}
    assert not revert_wording(kind=received, program=program_a, language="fr", by=coordinator_a)
    assert ask(program_a, ms, language="fr").subject != FRENCH_SUBJECT


def test_saving_exactly_the_default_keeps_no_wording_of_ones_own(
    program_a, coordinator_a, received
):
    save_french(program_a, coordinator_a, received)
    default = default_wording(received, "fr")

    saved = save_french(
        program_a, coordinator_a, received, subject=default.subject, body=default.body
    )

    assert saved is None
    assert not MessageTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.wording.reverted").count() == 1


def test_the_wording_for_every_program_applies_where_a_program_has_none_of_its_own(
    program_a, program_b, administrator, coordinator_a, received, ms
):
    save_wording(
        kind=received,
        program=None,
        language="fr",
        subject="Pour tous",
        body="{{ body }}",
        by=administrator,
    )
    save_french(program_a, coordinator_a, received)

    assert ask(program_b, ms, language="fr").subject == "Pour tous"
    assert ask(program_a, ms, language="fr").subject == FRENCH_SUBJECT
    sources = {
        wording.language.code: wording.source for wording in wordings_of(received, program_b)
    }
    assert sources == {"en": WordingSource.DEFAULT, "fr": WordingSource.EVERYWHERE}


def test_the_overview_tells_each_language_apart_and_sees_only_the_programs_own(
    program_a, program_b, coordinator_a, received
):
    save_french(program_a, coordinator_a, received)

    def statuses(program):
        return {
            language.language.code: language.source
            for _topic, kinds in wording_overview(program)
            for status in kinds
            if status.kind is received
            for language in status.languages
        }

    assert statuses(program_a) == {"en": WordingSource.DEFAULT, "fr": WordingSource.OWN}
    assert statuses(program_b) == {"en": WordingSource.DEFAULT, "fr": WordingSource.DEFAULT}


def test_the_preview_fills_the_wording_with_the_kinds_sample(program_a, received):
    wording = default_wording(received, "fr")

    shown = preview(received, program=program_a, language="fr", wording=wording)

    assert shown.body.startswith("Bonjour Camille,")
    assert "Program A" in shown.body
    assert "2026-06-04 17:00 EDT" in shown.body  # the sample's time, in the program's zone


def test_a_text_message_preview_counts_its_parts(program_a):
    introduced = kind_or_404("matches.match.introduced.peer")
    long_text = "Bonjour {{ recipient }}, " + "votre personne paire aidante vous écrira. " * 4

    shown = preview(introduced, program=program_a, language="en", wording=None)
    longer = preview(
        introduced,
        program=program_a,
        language="fr",
        wording=Wording("Objet", long_text),
    )

    assert shown.text_parts == 1
    assert longer.text_parts >= 2
    assert (
        preview(kind_or_404(RECEIVED), program=program_a, language="fr", wording=None).text_parts
        == 0
    )
