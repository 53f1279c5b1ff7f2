"""Program content in each of the program's languages: what a reader gets, what falls back to
the program's first language, and how coordinators write the other languages (ADR 0004)."""

import pytest
from django.utils import translation

from alongside.core.models import AuditEvent
from alongside.outcomes.models import Instrument
from alongside.outcomes.seed import seed_instruments
from alongside.programs import services
from alongside.programs.factories import ExperienceFactory, ProgramFactory
from alongside.programs.models import PipelineStep, StepKind
from alongside.programs.questions import crisis_questions_in, statement_in
from alongside.programs.services import SettingsError
from alongside.resources.factories import ResourceFactory
from alongside.resources.services import save_resource

pytestmark = pytest.mark.django_db

SAFE_NOW = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}


def general(program, by, **changes):
    settings = {
        "name": program.name,
        "description": program.description,
        "experiences": list(program.experiences.all()),
        "accepts_public_requests": True,
        "accepts_phone_requests": True,
        "accepts_referrals": False,
        "recruits_supporters": True,
        "asks_work_role": False,
        "is_employer_blind": False,
        "contact_email": "",
        "contact_phone": "",
    } | changes
    return services.change_general_settings(program=program, by=by, **settings)


def safety(program, by, **changes):
    settings = {
        "crisis_message": program.crisis_message,
        "acknowledge_within_minutes": program.acknowledge_within_minutes,
    } | changes
    return services.change_safety_settings(program=program, by=by, **settings)


# ---- what a reader gets ---------------------------------------------------------------------


def test_a_reader_gets_the_text_written_in_their_language(program_a):
    program_a.translations = {"fr": {"name": "Programme A"}}

    name = program_a.in_language("name", "fr-ca")

    assert (str(name), name.language, name.is_fallback) == ("Programme A", "fr", False)


def test_a_missing_translation_falls_back_visibly_to_the_programs_first_language(program_a):
    name = program_a.in_language("name", "fr")

    assert (str(name), name.language, name.is_fallback) == ("Program A", "en", True)
    with translation.override("fr-ca"):
        assert name.note == "(en anglais)"


def test_the_fallback_is_the_programs_first_language_not_the_installations():
    program = ProgramFactory(
        name="Soutien par les pairs",
        languages=["fr", "en", "es"],
        translations={"en": {"name": "Peer support"}},
    )

    in_spanish = program.in_language("name", "es")

    assert (str(in_spanish), in_spanish.language) == ("Soutien par les pairs", "fr")
    assert str(program.in_language("name", "en")) == "Peer support"


def test_the_page_language_is_the_readers_when_none_is_named(program_a):
    program_a.translations = {"fr": {"description": "Du soutien par téléphone."}}

    with translation.override("fr-ca"):
        assert str(program_a.in_language("description")) == "Du soutien par téléphone."
    with translation.override("en"):
        assert str(program_a.in_language("description")) == program_a.description


def test_a_shared_experience_falls_back_to_the_programs_first_language_before_its_own():
    stroke = ExperienceFactory(slug="stroke", name="Stroke", translations={"fr": {"name": "AVC"}})

    in_spanish = stroke.in_language("name", "es", fallbacks=["fr"])

    assert (str(in_spanish), in_spanish.language) == ("AVC", "fr")
    assert str(stroke.in_language("name", "es")) == "Stroke"


def test_crisis_questions_read_in_french_keep_their_answers_in_the_main_language(
    program_a, coordinator_a
):
    services.change_crisis_questions(program=program_a, by=coordinator_a, questions=[SAFE_NOW])
    program = safety(
        program_a,
        coordinator_a,
        questions={
            "fr": {
                "crisis_questions": {"safe_now": "Pensez-vous à vous faire du mal?"},
                "crisis_answers": {"Yes": "Oui"},
            }
        },
    )

    (question,) = crisis_questions_in(program, "fr")

    assert str(question.question) == "Pensez-vous à vous faire du mal?"
    assert [(stored, str(shown)) for stored, shown in question.answers] == [
        ("No", "No"),
        ("Yes", "Oui"),
    ]
    assert question.answers[0][1].is_fallback
    assert question.crisis_answers == ["Yes"]


def test_a_statement_to_agree_with_is_read_in_french_once_written(program_a, coordinator_a):
    statement = "I am at a place in my own journey where I can support others."
    program = services.change_eligibility_rules(
        program=program_a,
        by=coordinator_a,
        rules=[{"kind": "self_assessment", "statement": statement}],
        statements={"fr": {"statements": {statement: "Je suis prête ou prêt à soutenir."}}},
    )

    assert str(statement_in(program, statement, "fr")) == "Je suis prête ou prêt à soutenir."
    assert statement_in(program, statement, "es").is_fallback


def test_the_shipped_instruments_come_with_their_french():
    seed_instruments(Instrument)
    instrument = Instrument.objects.get(slug="loneliness-3")

    assert str(instrument.in_language("name", "fr")) == "Échelle de solitude en trois questions"
    assert str(instrument.phrase_in("labels", "Often", "Often", "fr")) == "Souvent"


# ---- writing the other languages ------------------------------------------------------------


def test_the_name_and_description_in_french_are_saved_beside_the_english_and_audited(
    program_a, coordinator_a
):
    program = general(
        program_a,
        coordinator_a,
        translations={"fr": {"name": "Programme A", "description": "Du soutien entre pairs."}},
    )

    program_a.refresh_from_db()
    assert program_a.name == "Program A"
    assert program_a.translations == {
        "fr": {"name": "Programme A", "description": "Du soutien entre pairs."}
    }
    assert program.missing_translations() == {"fr": ["crisis_message"]}
    event = AuditEvent.objects.get(action="programs.program.changed")
    assert event.data == {"fields": ["translations"]}


def test_an_emptied_translation_is_removed_and_shows_the_main_text_again(program_a, coordinator_a):
    program_a.translations = {"fr": {"name": "Programme A"}}
    program_a.save()

    program = general(program_a, coordinator_a, translations={"fr": {"name": "  "}})

    assert program.translations == {}
    assert program.in_language("name", "fr").is_fallback


def test_a_language_the_program_does_not_offer_is_refused(program_a, coordinator_a):
    with pytest.raises(SettingsError) as error:
        general(program_a, coordinator_a, translations={"es": {"name": "Programa A"}})

    assert error.value.errors == {
        "translations_es": ["“es” is not one of the program's other languages."]
    }


def test_a_translation_longer_than_the_field_is_refused_beside_its_box(program_a, coordinator_a):
    with pytest.raises(SettingsError) as error:
        general(program_a, coordinator_a, translations={"fr": {"name": "x" * 151}})

    assert error.value.errors == {
        "name_fr": ["Please keep it to 150 characters or fewer (it has 151)."]
    }
    program_a.refresh_from_db()
    assert program_a.translations == {}


def test_the_crisis_lines_in_french_are_saved_with_the_safety_settings(program_a, coordinator_a):
    program = safety(
        program_a,
        coordinator_a,
        translations={"fr": {"crisis_message": "Appelez ou textez le 9-8-8."}},
    )

    assert str(program.in_language("crisis_message", "fr")) == "Appelez ou textez le 9-8-8."
    assert program.crisis_message == "In crisis? Call or text 9-8-8, day or night."


def test_an_experience_is_named_in_the_programs_other_language(program_a, coordinator_a, ms):
    general(program_a, coordinator_a, experience_names={ms: {"fr": "Sclérose en plaques"}})

    ms.refresh_from_db()
    assert str(ms.in_language("name", "fr")) == "Sclérose en plaques"
    assert AuditEvent.objects.filter(action="programs.experience.renamed").count() == 1


def test_steps_and_trainings_are_named_in_each_language(program_a, coordinator_a):
    step = services.add_pipeline_step(
        program=program_a,
        by=coordinator_a,
        name="Interview",
        kind=StepKind.INTERVIEW,
        is_required=True,
        translations={"fr": {"name": "Entrevue"}},
    )
    module = services.add_training_module(
        program=program_a,
        by=coordinator_a,
        name="Boundaries",
        competency_areas=["boundaries"],
        validity_months=None,
        is_required=True,
        translations={"fr": {"name": "Limites"}},
    )

    assert str(PipelineStep.objects.get(pk=step.pk).in_language("name", "fr")) == "Entrevue"
    assert str(module.in_language("name", "fr")) == "Limites"


def test_a_resource_is_written_in_each_language(program_a, coordinator_a):
    resource = ResourceFactory(program=program_a, name="Crisis line", category="crisis")

    save_resource(
        program=program_a,
        by=coordinator_a,
        resource=resource,
        translations={"fr": {"name": "Ligne de crise", "offers": "Écoute jour et nuit."}},
    )

    resource.refresh_from_db()
    assert str(resource.in_language("name", "fr")) == "Ligne de crise"
    assert resource.missing_translations() == {"fr": ["contact"]}


def test_a_new_first_language_becomes_the_main_language_of_every_text(program_a, coordinator_a):
    program_a.translations = {"fr": {"name": "Programme A"}}
    program_a.save()
    step = PipelineStep.objects.create(
        program=program_a,
        name="Interview",
        kind=StepKind.INTERVIEW,
        order=1,
        translations={"fr": {"name": "Entrevue"}},
    )
    resource = ResourceFactory(program=program_a, name="Crisis line")

    services.change_languages_and_methods(
        program=program_a, by=coordinator_a, languages=["fr", "en"], contact_methods=["phone"]
    )

    program_a.refresh_from_db()
    step.refresh_from_db()
    resource.refresh_from_db()
    assert (program_a.name, program_a.translations["en"]["name"]) == ("Programme A", "Program A")
    assert (step.name, step.translations) == ("Entrevue", {"en": {"name": "Interview"}})
    assert resource.name == "Crisis line"
    assert AuditEvent.objects.filter(action="programs.program.main_language_changed").exists()
