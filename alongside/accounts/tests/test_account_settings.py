"""Your account: everyone keeps their own time zone and language, and pages follow them."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from alongside.accounts.factories import UserFactory
from alongside.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SETTINGS = reverse("accounts:settings")
# 01:00 UTC on 16 January: 20:00 the evening before in Toronto, 17:00 in Vancouver.
ONE_IN_THE_MORNING_UTC = dt.datetime(2026, 1, 16, 1, 0, tzinfo=dt.UTC)


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_every_signed_in_person_finds_their_account_in_the_menu(client, peer_user):
    client.force_login(peer_user)

    page = client.get(reverse("home")).content.decode()

    assert f'href="{SETTINGS}"' in page
    assert "Your account" in page


def test_a_supporter_sets_their_own_time_zone_and_language(client, supporter_a):
    user = supporter_a.user
    client.force_login(user)

    response = client.post(
        SETTINGS, {"time_zone": "America/Vancouver", "language": "fr-ca"}, follow=True
    )

    user.refresh_from_db()
    assert (user.time_zone, user.language) == ("America/Vancouver", "fr-ca")
    assert response.redirect_chain == [(SETTINGS, 302)]
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr-ca"  # pages follow
    event = AuditEvent.objects.get(action="accounts.settings.updated")
    assert event.data == {"fields": ["language", "time_zone"]}


def test_a_zone_we_do_not_know_is_refused_with_a_message_naming_the_field(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.post(SETTINGS, {"time_zone": "Mars/Olympus_Mons", "language": "en"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Your time zone: “Mars/Olympus_Mons” is not a time zone we know." in page
    supporter_a.user.refresh_from_db()
    assert supporter_a.user.time_zone == ""
    assert not AuditEvent.objects.filter(action="accounts.settings.updated").exists()


def test_without_a_zone_of_their_own_the_page_offers_their_programs(client, coordinator_a):
    client.force_login(coordinator_a)

    page = client.get(SETTINGS).content.decode()

    assert "Your program&#x27;s: America/Toronto" in page


def test_pages_show_the_time_in_the_zone_chosen_else_the_programs_else_the_sites(
    client, supporter_a
):
    with time_machine.travel(ONE_IN_THE_MORNING_UTC, tick=False):
        client.force_login(supporter_a.user)
        in_program_zone = client.get(SETTINGS).content.decode()
        client.post(SETTINGS, {"time_zone": "America/Vancouver", "language": "en"})
        in_own_zone = client.get(SETTINGS).content.decode()
        client.force_login(UserFactory(email="no.program@example.org"))
        in_site_zone = client.get(SETTINGS).content.decode()

    assert "Thursday 15 January 2026, 20:00 EST" in in_program_zone
    assert "Thursday 15 January 2026, 17:00 PST" in in_own_zone
    assert "Friday 16 January 2026, 01:00 UTC" in in_site_zone
