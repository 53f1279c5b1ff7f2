"""The person's copy and their erasure from their request's page: for its program's staff only,
after confirming it is them, with the code typed back, refused under a hold; both audited."""

import io
import json

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.intake.models import Peer
from alongside.privacy import services
from alongside.privacy.tests.test_erasure import CANARY, Person, a_person
from alongside.programs.models import Program
from alongside.supporters.models import Supporter


def confirmed(client: Client, user: User) -> Client:
    """Signed in, and just confirmed it is them with their password."""
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def person(program_a: Program) -> Person:
    return a_person(program_a)


def urls(person: Person) -> list[str]:
    pk = person.request.pk
    return [
        reverse("privacy:person_copy", args=[pk]),
        reverse("privacy:person_copy_download", args=[pk, "json"]),
        reverse("privacy:person_copy_download", args=[pk, "pdf"]),
        reverse("privacy:erase_person", args=[pk]),
    ]


def test_the_request_page_links_to_both_for_its_staff(
    client: Client, coordinator_a: User, person: Person
) -> None:
    client.force_login(coordinator_a)
    page = client.get(reverse("intake:request_detail", args=[person.request.pk])).content.decode()
    for url in (urls(person)[0], urls(person)[3]):
        assert url in page


def test_another_programs_coordinator_gets_nothing(
    client: Client, coordinator_b: User, person: Person
) -> None:
    confirmed(client, coordinator_b)
    for url in urls(person):
        assert client.get(url).status_code == 404


def test_a_supporter_and_someone_signed_out_get_nothing(
    client: Client, supporter_a: Supporter, person: Person
) -> None:
    for url in urls(person):
        assert client.get(url).status_code == 302  # to sign in
    client.force_login(supporter_a.user)
    for url in urls(person):
        assert client.get(url).status_code in (403, 404)


def test_the_download_asks_who_it_is_first(
    client: Client, coordinator_a: User, person: Person
) -> None:
    client.force_login(coordinator_a)
    asked = client.get(urls(person)[1])
    assert asked.status_code == 302
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(action="privacy.copy.exported").exists()


def test_the_json_copy_is_everything_and_audited(
    client: Client, coordinator_a: User, person: Person
) -> None:
    confirmed(client, coordinator_a)
    response = client.get(urls(person)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    copy = json.loads(response.content)
    assert copy["person"]["first_name"] == str(person.peer.first_name)
    event = AuditEvent.objects.get(action="privacy.copy.exported")
    assert event.data == {"format": "json"}
    assert CANARY not in str(event.data)


def test_the_pdf_copy_is_a_pdf(client: Client, coordinator_a: User, person: Person) -> None:
    Peer.objects.filter(pk=person.peer.pk).update(language="fr")
    confirmed(client, coordinator_a)
    response = client.get(urls(person)[2])
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "Alongside conserve à votre sujet" in text  # in the person's language
    assert CANARY in text
    assert AuditEvent.objects.filter(action="privacy.copy.exported", data__format="pdf").exists()


def test_an_unknown_format_is_not_found(
    client: Client, coordinator_a: User, person: Person
) -> None:
    confirmed(client, coordinator_a)
    url = reverse("privacy:person_copy_download", args=[person.request.pk, "xml"])
    assert client.get(url).status_code == 404


def test_erasing_needs_the_code_typed_back(
    client: Client, coordinator_a: User, person: Person
) -> None:
    confirmed(client, coordinator_a)
    url = urls(person)[3]
    page = client.get(url)
    code = page.context["code"]
    assert code in page.content.decode()
    assert person.peer.first_name not in page.content.decode()  # counts, never a name
    wrong = client.post(url, {"code": "WRONG1"})
    assert wrong.status_code == 200
    assert "not the confirmation code" in wrong.content.decode()
    assert Peer.objects.get(pk=person.peer.pk).first_name.startswith(CANARY)
    done = client.post(url, {"code": code.lower()})
    assert done.status_code == 302
    assert done["Location"] == reverse("intake:request_detail", args=[person.request.pk])
    assert not Peer.objects.get(pk=person.peer.pk).first_name
    assert any("erased" in str(m) for m in get_messages(done.wsgi_request))
    assert AuditEvent.objects.filter(action="privacy.person.erased").count() == 1
    assert client.get(done["Location"]).status_code == 200  # the de-identified request page


def test_erasing_asks_who_it_is_first(client: Client, coordinator_a: User, person: Person) -> None:
    client.force_login(coordinator_a)
    asked = client.post(urls(person)[3], {"code": "ABCDEF"})
    assert asked["Location"].startswith(reverse("account_reauthenticate"))
    assert Peer.objects.get(pk=person.peer.pk).first_name.startswith(CANARY)


def test_a_hold_refuses_erasing_plainly(
    client: Client, coordinator_a: User, person: Person
) -> None:
    services.place_legal_hold(by=coordinator_a, reason="A claim.", peer=person.peer)
    confirmed(client, coordinator_a)
    page = client.get(urls(person)[3])
    assert "legal hold" in page.content.decode()
    client.post(urls(person)[3], {"code": page.context["code"]})
    assert Peer.objects.get(pk=person.peer.pk).first_name.startswith(CANARY)
    assert not AuditEvent.objects.filter(action="privacy.person.erased").exists()


def test_the_pages_are_in_french(client: Client, coordinator_a: User, person: Person) -> None:
    coordinator_a.language = "fr-ca"
    coordinator_a.save()
    confirmed(client, coordinator_a)
    page = client.get(urls(person)[3], HTTP_ACCEPT_LANGUAGE="fr-ca").content.decode()
    assert "Effacer cette personne" in page
    page = client.get(urls(person)[0], HTTP_ACCEPT_LANGUAGE="fr-ca").content.decode()
    assert "Leur copie" in page
