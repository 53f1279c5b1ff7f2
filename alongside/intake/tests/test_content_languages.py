"""The public request form in the reader's language: the program's own texts in French when its
coordinators wrote them, else in its first language, marked so screen readers switch voice."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from alongside.core.models import AuditEvent
from alongside.intake.models import SupportRequest
from alongside.intake.tests.test_views import answers, form_url

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA,fr;q=0.9"}
SAFE_NOW = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}


@pytest.fixture(autouse=True)
def fresh_rate_limits_and_english_after():
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture
def bilingual_program(program_a, ms):
    program_a.crisis_questions = [SAFE_NOW]
    program_a.translations = {
        "fr": {
            "name": "Programme A de soutien par les pairs",
            "description": "Parlez avec une personne qui est passée par là.",
            "crisis_message": "Appelez ou textez le 9-8-8, en tout temps.",
            "crisis_questions": {"safe_now": "Pensez-vous à vous faire du mal?"},
            "crisis_answers": {"Yes": "Oui", "No": "Non"},
        }
    }
    program_a.save()
    ms.translations = {"fr": {"name": "Sclérose en plaques"}}
    ms.save()
    return program_a


def test_the_french_form_shows_the_programs_french_texts(client, bilingual_program):
    page = client.get(form_url(bilingual_program), headers=FRENCH).text

    assert "Programme A de soutien par les pairs" in page
    assert "Parlez avec une personne qui est passée par là." in page
    assert "Appelez ou textez le 9-8-8, en tout temps." in page
    assert "Pensez-vous à vous faire du mal?" in page
    assert "Sclérose en plaques" in page
    assert "In crisis? Call or text 9-8-8" not in page
    assert "(en anglais)" not in page


def test_the_english_form_keeps_the_programs_english_texts(client, bilingual_program):
    page = client.get(form_url(bilingual_program), headers={"accept-language": "en"}).text

    assert "In crisis? Call or text 9-8-8, day or night." in page
    assert "Are you thinking about harming yourself?" in page
    assert "Programme A" not in page


def test_a_text_not_written_in_french_shows_in_english_marked_as_english(client, program_a):
    page = client.get(form_url(program_a), headers=FRENCH).text

    assert (
        '<span lang="en">In crisis? Call or text 9-8-8, day or night.</span> '
        '<span class="content-language-note">(en anglais)</span>'
    ) in page
    assert '<span lang="en">Program A</span>' in page


def test_an_answer_chosen_in_french_is_kept_in_the_programs_language_and_signals_crisis(
    client, bilingual_program, ms
):
    page = client.post(
        form_url(bilingual_program),
        answers(bilingual_program, ms, crisis_safe_now="Yes"),
        headers=FRENCH,
        follow=True,
    ).text

    assert 'data-testid="crisis-lines"' in page
    assert "Appelez ou textez le 9-8-8, en tout temps." in page
    assert SupportRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="safety.escalation").exists()


def test_the_home_page_lists_the_program_in_french(client, bilingual_program):
    page = client.get(reverse("home"), headers=FRENCH).text

    assert "Programme A de soutien par les pairs" in page
