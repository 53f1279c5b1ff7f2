"""The settings pages show each text in each of the program's languages side by side, say which
are not written yet, and save them (ADR 0004)."""

import pytest
from django.urls import reverse

from alongside.programs.models import PipelineStep, StepKind
from alongside.programs.tests.test_setup_pages import management, rules_page
from alongside.resources.factories import ResourceFactory

pytestmark = pytest.mark.django_db

SAFE_NOW = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}


def general_page(program):
    return reverse("programs:edit_general", args=[program.pk])


def safety_page(program):
    return reverse("programs:edit_safety", args=[program.pk])


def test_the_general_page_shows_the_name_in_english_and_french_side_by_side(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    page = client.get(general_page(program_a)).text

    assert "main language: English." in page
    assert "Name — French" in page
    assert 'name="name_fr"' in page
    assert 'lang="fr"' in page
    assert page.count('data-testid="missing-translation"') >= 2  # the name and description


def test_a_written_translation_is_filled_in_and_not_marked_missing(
    client, coordinator_a, program_a
):
    program_a.translations = {"fr": {"name": "Programme A", "description": "En français."}}
    program_a.save()
    client.force_login(coordinator_a)

    page = client.get(general_page(program_a)).text

    assert 'value="Programme A"' in page
    assert "En français." in page
    assert "Name — French <span" not in page


def test_a_coordinator_saves_the_french_name_description_and_experience(
    client, coordinator_a, program_a, ms
):
    client.force_login(coordinator_a)

    response = client.post(
        general_page(program_a),
        {
            "name": "Program A",
            "name_fr": "Programme A",
            "description": "Peer support.",
            "description_fr": "Du soutien entre pairs.",
            "experiences": [ms.pk],
            f"experience_{ms.pk}_fr": "Sclérose en plaques",
            "accepts_public_requests": "on",
        },
    )

    assert response.status_code == 302
    program_a.refresh_from_db()
    ms.refresh_from_db()
    assert program_a.translations == {
        "fr": {"name": "Programme A", "description": "Du soutien entre pairs."}
    }
    assert ms.translations == {"fr": {"name": "Sclérose en plaques"}}


def test_a_french_text_too_long_is_refused_beside_its_box(client, coordinator_a, program_a, ms):
    client.force_login(coordinator_a)

    response = client.post(
        general_page(program_a),
        {"name": "Program A", "name_fr": "x" * 151, "experiences": [ms.pk]},
    )

    page = response.text
    assert 'id="id_name_fr_error"' in page
    program_a.refresh_from_db()
    assert program_a.translations == {}


def test_a_coordinator_of_another_program_cannot_open_its_texts(client, coordinator_b, program_a):
    client.force_login(coordinator_b)

    assert client.get(general_page(program_a)).status_code == 404
    assert client.get(safety_page(program_a)).status_code == 404


def test_the_safety_page_offers_the_crisis_lines_questions_and_answers_in_french(
    client, coordinator_a, program_a
):
    program_a.crisis_questions = [SAFE_NOW]
    program_a.save()
    client.force_login(coordinator_a)

    page = client.get(safety_page(program_a)).text
    response = client.post(
        safety_page(program_a),
        {
            "crisis_message": program_a.crisis_message,
            "crisis_message_fr": "Appelez ou textez le 9-8-8.",
            "acknowledge_within_minutes": "15",
            "crisis_questions_1_fr": "Pensez-vous à vous faire du mal?",
            "crisis_answers_1_fr": "Non",
            "crisis_answers_2_fr": "Oui",
        },
    )

    assert "Crisis lines — French" in page
    assert 'value="Are you thinking about harming yourself?"' in page
    assert "Crisis question 1 — French" in page
    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.translations == {
        "fr": {
            "crisis_message": "Appelez ou textez le 9-8-8.",
            "crisis_questions": {"safe_now": "Pensez-vous à vous faire du mal?"},
            "crisis_answers": {"No": "Non", "Yes": "Oui"},
        }
    }


def test_a_step_is_named_in_french_on_its_page(client, coordinator_a, program_a):
    step = PipelineStep.objects.create(
        program=program_a, name="Interview", kind=StepKind.INTERVIEW, order=1
    )
    client.force_login(coordinator_a)

    client.post(
        reverse("programs:edit_step", args=[step.pk]),
        {"name": "Interview", "name_fr": "Entrevue", "kind": "interview", "is_required": "on"},
    )

    step.refresh_from_db()
    assert step.translations == {"fr": {"name": "Entrevue"}}


def test_the_settings_page_says_which_texts_are_not_written_in_french(
    client, coordinator_a, program_a
):
    PipelineStep.objects.create(
        program=program_a, name="Interview", kind=StepKind.INTERVIEW, order=1
    )
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings", args=[program_a.pk])).text

    assert "French: 4 texts not written yet." in page  # name, description, crisis lines, step
    assert "Not yet in French" in page


def test_a_statement_to_agree_with_is_written_in_french_on_the_rules_page(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    response = client.post(
        rules_page(program_a),
        management(2, 0)
        | {
            "rules-0-kind": "self_assessment",
            "rules-0-statement": "I am ready to support others.",
            "rules-0-statement_fr": "Je me sens capable de soutenir d'autres personnes.",
        },
    )

    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.translations == {
        "fr": {
            "statements": {
                "I am ready to support others.": (
                    "Je me sens capable de soutenir d'autres personnes."
                )
            }
        }
    }


def test_a_resource_is_written_in_french_on_its_page(client, coordinator_a, program_a):
    resource = ResourceFactory(program=program_a, name="Crisis line", category="crisis")
    client.force_login(coordinator_a)

    page = client.get(reverse("resources:edit", args=[resource.pk])).text
    client.post(
        reverse("resources:edit", args=[resource.pk]),
        {
            "program": program_a.pk,
            "name": "Crisis line",
            "name_fr": "Ligne de crise",
            "offers": resource.offers,
            "category": "crisis",
            "is_active": "on",
        },
    )

    assert "What it offers — French" in page
    resource.refresh_from_db()
    assert resource.translations == {"fr": {"name": "Ligne de crise"}}
