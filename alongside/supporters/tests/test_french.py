"""The supporter application in Canadian French, for a visitor whose browser asks for it."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from alongside.supporters.tests.test_views import answers

pytestmark = pytest.mark.django_db

FRENCH = {"accept-language": "fr-CA,fr;q=0.9"}


@pytest.fixture(autouse=True)
def fresh_rate_limits_and_english_after():
    """The French request leaves French active in this thread: the next tests expect English."""
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()


@pytest.fixture
def ms_program(program_a):
    program_a.eligibility_rules = [{"kind": "minimum_age", "years": 18}]
    program_a.save()
    return program_a


def test_the_application_form_speaks_french_to_a_visitor_whose_browser_asks_for_it(
    client, ms_program
):
    page = client.get(reverse("supporters:apply", args=[ms_program.slug]), headers=FRENCH)

    assert '<html lang="fr-ca">' in page.text
    assert "Devenir personne paire aidante" in page.text
    assert "Envoyer ma candidature" in page.text
    assert "Send my application" not in page.text


def test_a_too_young_applicant_reads_why_in_french(client, ms_program, ms):
    page = client.post(
        reverse("supporters:apply", args=[ms_program.slug]),
        answers(ms, date_of_birth="2015-06-01"),
        headers=FRENCH,
        follow=True,
    )

    assert "nous ne pouvons pas accepter votre candidature" in page.text
    assert "Les personnes paires aidantes doivent avoir au moins 18 ans" in page.text
