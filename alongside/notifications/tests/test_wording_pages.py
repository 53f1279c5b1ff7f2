"""The wording pages: who may open them, the list of every kind, and a kind's page in each of
the program's languages."""

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils.html import escape

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications.models import MessageTemplate
from alongside.notifications.tests.test_wording_kinds import DECLARED

pytestmark = pytest.mark.django_db

RECEIVED = "intake.request.received"
FRENCH = {"language": "fr", "fr-subject": "Votre demande est arrivée", "fr-body": ""}


def wording_url(program, key: str = "") -> str:
    if key:
        return reverse("notifications:edit_wording", args=[program.pk, key])
    return reverse("notifications:wording", args=[program.pk])


def test_the_programs_settings_lead_to_its_messages(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings", args=[program_a.pk]))

    assert wording_url(program_a) in page.text


def test_every_kind_of_message_any_app_declares_is_on_the_programs_list(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    page = client.get(wording_url(program_a))

    assert page.status_code == 200
    missing = [
        name
        for name, kind in DECLARED
        if wording_url(program_a, kind.key) not in page.text
        or escape(str(kind.name)) not in page.text
    ]
    assert missing == []
    assert "Requests for support" in page.text
    assert "When someone asks for support" in page.text
    assert "to the person who asked" in page.text


def test_the_list_says_which_languages_use_the_programs_own_wording(
    client, coordinator_a, program_a
):
    MessageTemplate.objects.create(
        program=program_a, key=RECEIVED, language="fr", subject="Reçu", body="Merci"
    )
    client.force_login(coordinator_a)

    page = client.get(wording_url(program_a))

    assert "French: <strong>Your program&#x27;s own wording</strong>" in " ".join(page.text.split())


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("coordinator_a", 200),
        ("administrator", 200),
        ("coordinator_b", 404),
        ("supporter", 403),
    ],
)
def test_who_may_open_a_programs_wording_pages(
    client, request, program_a, supporter_a, persona, status
):
    user = supporter_a.user if persona == "supporter" else request.getfixturevalue(persona)
    client.force_login(user)

    for url in (wording_url(program_a), wording_url(program_a, RECEIVED)):
        assert client.get(url).status_code == status, url


def test_a_coordinator_of_another_program_can_neither_see_nor_change_its_wording(
    client, coordinator_b, program_a
):
    MessageTemplate.objects.create(
        program=program_a, key=RECEIVED, language="fr", subject="Secret A", body="x"
    )
    client.force_login(coordinator_b)

    assert (
        client.post(wording_url(program_a, RECEIVED), {**FRENCH, "action": "save"}).status_code
        == 404
    )
    revert = reverse("notifications:revert_wording", args=[program_a.pk, RECEIVED])
    assert client.post(revert, {"language": "fr"}).status_code == 404
    assert MessageTemplate.objects.get().subject == "Secret A"


def test_anonymous_visitors_are_sent_to_sign_in(client, program_a):
    response = client.get(wording_url(program_a))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_kind_no_app_sends_is_not_found(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    assert client.get(wording_url(program_a, "intake.request.unheard_of")).status_code == 404


def test_a_kinds_page_shows_each_language_its_default_placeholders_and_preview(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    page = client.get(wording_url(program_a, RECEIVED))

    text = page.text
    assert "Nous avons bien reçu votre demande de soutien par les pairs" in text
    assert "We received your request for peer support" in text
    assert "{{ due }}" in text
    assert "{{ recipient }}" in text
    assert "Hello Camille," in text  # the English preview, with the sample's name
    assert "Bonjour Camille," in text
    assert 'name="fr-body"' in text
    assert 'name="en-body"' in text


def test_previewing_shows_the_wording_typed_and_saves_nothing(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    page = client.post(
        wording_url(program_a, RECEIVED),
        {**FRENCH, "fr-body": "Bonjour {{ recipient }} de {{ program }}", "action": "preview"},
    )

    assert page.status_code == 200
    assert "Preview of the wording above, not saved yet" in page.text
    assert "Bonjour Camille de Program A" in page.text
    assert not MessageTemplate.objects.exists()


def test_saving_keeps_the_wording_and_says_so(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        wording_url(program_a, RECEIVED),
        {**FRENCH, "fr-body": "Bonjour {{ recipient }}", "action": "save"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == wording_url(program_a, RECEIVED) + "#wording-fr"
    assert "Saved: “When someone asks for support”, French." in response.text
    template = MessageTemplate.objects.get()
    assert (template.program, template.language, template.body) == (
        program_a,
        "fr",
        "Bonjour {{ recipient }}",
    )
    assert AuditEvent.objects.filter(action="notifications.wording.changed").count() == 1


def test_wording_that_cannot_be_sent_comes_back_with_the_reason_beside_it(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    page = client.post(
        wording_url(program_a, RECEIVED),
        {**FRENCH, "fr-body": "Bonjour {{ prenom }}", "action": "save"},
    )

    assert page.status_code == 200
    assert "“{{ prenom }}” is not a placeholder of this message." in page.text
    assert 'aria-invalid="true"' in page.text
    assert "Fix the wording above to see its preview." in page.text
    assert not MessageTemplate.objects.exists()


def test_a_long_text_message_is_warned_about_on_saving(client, coordinator_a, program_a):
    client.force_login(coordinator_a)
    key = "matches.match.introduced.peer"

    response = client.post(
        wording_url(program_a, key),
        {
            "language": "fr",
            "fr-subject": "Votre personne paire aidante",
            "fr-body": "Bonjour {{ recipient }}. " + "Nous pensons à vous, même de loin. " * 4,
            "action": "save",
        },
        follow=True,
    )

    # 156 characters, and a letter (ê) that holds a part to 70: three parts.
    assert "By text message, this goes in 3 parts (156 characters" in response.text
    assert MessageTemplate.objects.filter(key=key).exists()


def test_going_back_to_the_default_asks_first_then_removes_the_wording(
    client, coordinator_a, program_a
):
    MessageTemplate.objects.create(
        program=program_a, key=RECEIVED, language="fr", subject="Reçu", body="Merci"
    )
    client.force_login(coordinator_a)
    revert = reverse("notifications:revert_wording", args=[program_a.pk, RECEIVED])

    question = client.get(revert, {"language": "fr"})
    assert "Go back to the default wording of “When someone asks for support” (French)?" in (
        question.text
    )
    assert MessageTemplate.objects.exists()

    response = client.post(revert, {"language": "fr"}, follow=True)
    assert "the default wording is sent again" in response.text
    assert not MessageTemplate.objects.exists()
    assert AuditEvent.objects.filter(action="notifications.wording.reverted").count() == 1


def test_an_administrator_words_a_message_for_every_program(
    client, administrator, coordinator_b, program_b
):
    client.force_login(administrator)
    url = reverse("notifications:edit_installation_wording", args=[RECEIVED])

    assert client.get(reverse("notifications:installation_wording")).status_code == 200
    client.post(url, {**FRENCH, "fr-body": "{{ body }}", "action": "save"})

    assert MessageTemplate.objects.get().program is None
    client.force_login(coordinator_b)
    page = client.get(wording_url(program_b, RECEIVED))
    assert "Votre demande est arrivée" in page.text
    assert "Sent in place of the default, unless your program has its own." in page.text


def test_a_coordinator_may_not_word_messages_for_every_program(client, coordinator_a):
    client.force_login(coordinator_a)

    assert client.get(reverse("notifications:installation_wording")).status_code == 403
    url = reverse("notifications:edit_installation_wording", args=[RECEIVED])
    assert client.post(url, {**FRENCH, "action": "save"}).status_code == 403


def test_the_admin_shows_wording_but_changes_it_only_through_the_pages(db):
    superuser = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    request = RequestFactory().get("/")
    request.user = superuser
    model_admin = site._registry[MessageTemplate]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_language_without_a_shipped_default_says_the_english_one_is_sent(
    client, coordinator_a, program_a
):
    program_a.languages = ["en", "es"]
    program_a.save(update_fields=["languages"])
    client.force_login(coordinator_a)

    page = client.get(wording_url(program_a, RECEIVED))

    assert 'name="es-body"' in page.text
    assert "Alongside has no default in this language" in page.text
    assert page.text.count("Alongside has no default in this language") == 1
