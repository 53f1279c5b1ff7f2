"""Confirming it is you again (allauth's reauthentication) on Alongside's own pages."""

from django.test import Client
from django.urls import reverse

from alongside.accounts.factories import DEMO_PASSWORD, authenticator_code
from alongside.accounts.models import User


def test_the_password_page_asks_for_the_password_and_goes_on_where_it_was_asked(
    client: Client, coordinator_a: User
) -> None:
    client.force_login(coordinator_a)
    address = f"{reverse('account_reauthenticate')}?next=/requests/"

    page = client.get(address)
    wrong = client.post(address, {"password": "not it", "next": "/requests/"})
    right = client.post(address, {"password": DEMO_PASSWORD, "next": "/requests/"})

    assert page.status_code == 200
    assert "Confirm it is you" in page.text
    assert reverse("mfa_reauthenticate") in page.text  # the other way: the app's code
    assert wrong.status_code == 200
    assert "Please check these answers" in wrong.text
    assert right.status_code == 302
    assert right["Location"] == "/requests/"


def test_the_authenticator_code_confirms_it_too(client: Client, coordinator_a: User) -> None:
    client.force_login(coordinator_a)
    address = f"{reverse('mfa_reauthenticate')}?next=/requests/"

    page = client.get(address)
    right = client.post(address, {"code": authenticator_code(coordinator_a), "next": "/requests/"})

    assert "Confirm it is you" in page.text
    assert right.status_code == 302
    assert right["Location"] == "/requests/"


def test_the_page_reads_in_french(client: Client, coordinator_a: User) -> None:
    coordinator_a.language = "fr-ca"
    coordinator_a.save(update_fields=["language"])
    client.force_login(coordinator_a)

    page = client.get(reverse("account_reauthenticate"))

    assert "Confirmez que c'est bien vous" in page.text
