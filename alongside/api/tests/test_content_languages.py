"""The API gives a program's own texts in the reader's language (their account's, else the
request's), else the program's first language."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_after():
    yield
    translation.deactivate()


def test_the_waiting_list_names_the_program_and_experience_in_the_requests_language(
    client, coordinator_a, request_a, program_a, ms
):
    program_a.translations = {"fr": {"name": "Programme A"}}
    program_a.save()
    ms.translations = {"fr": {"name": "Sclérose en plaques"}}
    ms.save()
    client.force_login(coordinator_a)

    english = client.get(reverse("api:waiting_requests"))
    coordinator_a.language = "fr-ca"
    coordinator_a.save()
    french = client.get(reverse("api:waiting_requests"))

    assert (french.json()["items"][0]["program"], french.json()["items"][0]["experience"]) == (
        "Programme A",
        "Sclérose en plaques",
    )
    assert english.json()["items"][0]["program"] == "Program A"
