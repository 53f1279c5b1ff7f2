"""The probes answer anyone, over plain HTTP, and leave a staff member's session alone."""

import datetime as dt

import pytest
import time_machine
from django.test import Client, override_settings
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.programs.models import Program

PROBES = ["health_live", "health_ready", "health"]
START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("probe", PROBES)
@override_settings(SECURE_SSL_REDIRECT=True)
def test_a_probe_answers_over_plain_http_where_pages_redirect_to_https(
    db: None, probe: str
) -> None:
    client = Client()  # its middleware is built now, with the redirect on

    assert client.get(reverse(probe)).status_code == 200
    assert client.get(reverse("account_login")).status_code == 301


@pytest.mark.parametrize("probe", PROBES)
def test_a_probe_answers_head_and_refuses_post(db: None, client: Client, probe: str) -> None:
    assert client.head(reverse(probe)).status_code == 200
    assert client.post(reverse(probe)).status_code == 405


@pytest.mark.parametrize("probe", PROBES)
def test_a_probe_sets_no_session_cookie_and_is_never_cached(
    db: None, client: Client, probe: str
) -> None:
    response = client.get(reverse(probe))

    assert "sessionid" not in response.cookies
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize("probe", PROBES)
def test_a_coordinator_without_an_authenticator_app_is_not_sent_to_set_one_up(
    client: Client, program_a: Program, probe: str
) -> None:
    coordinator = user_with_role(Role.COORDINATOR, program_a, authenticator_app=False)
    client.force_login(coordinator)

    assert client.get(reverse("intake:queue")).status_code == 302
    assert client.get(reverse(probe)).status_code == 200


def test_a_probe_neither_signs_an_idle_coordinator_out_nor_keeps_their_session_alive(
    client: Client, program_a: Program
) -> None:
    coordinator = user_with_role(Role.COORDINATOR, program_a)
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(coordinator)
        clock.shift(dt.timedelta(minutes=31))

        assert client.get(reverse("health_ready")).status_code == 200
        assert "_auth_user_id" in client.session

        clock.shift(dt.timedelta(minutes=1))
        response = client.get(reverse("intake:queue"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
