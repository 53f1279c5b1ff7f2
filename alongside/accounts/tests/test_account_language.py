"""Each person's language: one choice, theirs, for their pages wherever they sign in.

They choose it on Your account or with the header's language buttons (the same choice); a
visitor's buttons change only the pages on their device. An invited person's account takes the
language they accepted the invitation in.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from alongside.accounts.models import User
from alongside.accounts.services import invite_person
from alongside.accounts.tests.test_invitations import link_in
from alongside.core.models import AuditEvent
from alongside.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
IN_ENGLISH = {"accept-language": "en"}


def test_after_signing_in_a_person_reads_every_page_in_their_accounts_language(client, peer_user):
    peer_user.language = "fr-ca"
    peer_user.save()
    client.force_login(peer_user)

    page = client.get(reverse("home"), headers=IN_ENGLISH).content.decode()

    assert '<html lang="fr-ca">' in page
    assert "Votre compte" in page


def test_the_header_buttons_change_a_signed_in_persons_own_language(client, peer_user):
    client.force_login(peer_user)

    client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    peer_user.refresh_from_db()
    assert peer_user.language == "fr-ca"
    assert AuditEvent.objects.get(action="accounts.settings.updated").data == {
        "fields": ["language"]
    }
    settings_page = client.get(SETTINGS).content.decode()
    assert '<option value="fr-ca" selected>' in settings_page


def test_your_account_and_the_header_buttons_are_one_choice(client, peer_user):
    client.force_login(peer_user)
    client.post(SETTINGS, {"time_zone": "", "language": "fr-ca"})

    client.post(reverse("set_language"), {"language": "en", "next": "/"})

    peer_user.refresh_from_db()
    assert peer_user.language == "en"
    assert '<html lang="en">' in client.get(reverse("home")).content.decode()


def test_a_visitors_buttons_change_the_pages_on_their_device_only(client, peer_user):
    response = client.post(reverse("set_language"), {"language": "fr-ca", "next": "/"})

    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-ca"
    peer_user.refresh_from_db()
    assert peer_user.language == "en"
    assert not AuditEvent.objects.filter(action="accounts.settings.updated").exists()


def test_a_language_the_site_does_not_speak_changes_nothing(client, peer_user):
    client.force_login(peer_user)

    client.post(reverse("set_language"), {"language": "xx", "next": "/"})

    peer_user.refresh_from_db()
    assert peer_user.language == "en"


def test_an_invitation_accepted_in_french_makes_french_the_accounts_language(client):
    invite_person(email="sam@example.org", first_name="Sam", invited_by=None)
    path, _account, _token = link_in(OutboxMessage.objects.get().body)
    client.post(reverse("set_language"), {"language": "fr-ca", "next": path})

    password = "un port tranquille"

    client.post(path, {"new_password1": password, "new_password2": password})

    assert User.objects.get(email="sam@example.org").language == "fr-ca"
