"""A staff session left unused is signed out; the sign-in page says why."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role

START = dt.datetime(2026, 3, 2, 14, 0, tzinfo=dt.UTC)
IDLE_NOTICE = "You were signed out because Alongside was not used for 30 minutes."


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def minutes(count: float) -> dt.timedelta:
    return dt.timedelta(minutes=count)


def test_a_coordinator_idle_for_more_than_30_minutes_is_signed_out_and_told_why(
    client, clock, coordinator_a
):
    client.force_login(coordinator_a)
    clock.shift(minutes(31))

    response = client.get(reverse("intake:queue"), follow=True)

    sign_in = f"{reverse('account_login')}?next={reverse('intake:queue')}"
    assert response.redirect_chain[0] == (sign_in, 302)
    assert IDLE_NOTICE in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_using_alongside_within_the_window_keeps_the_staff_session(client, clock, coordinator_a):
    client.force_login(coordinator_a)

    for _ in range(4):
        clock.shift(minutes(25))
        assert client.get(reverse("intake:queue")).status_code == 200


def test_the_idle_limit_counts_from_the_last_page_not_from_sign_in(client, clock, coordinator_a):
    client.force_login(coordinator_a)
    clock.shift(minutes(20))
    client.get(reverse("intake:queue"))
    clock.shift(minutes(29))

    assert client.get(reverse("intake:queue")).status_code == 200


def test_supervisors_and_administrators_are_signed_out_when_idle_too(client, clock, program_a):
    for role in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        client.force_login(user_with_role(role, program_a))
        clock.shift(minutes(31))

        response = client.get(reverse("matches:list"))

        assert response["Location"].startswith(reverse("account_login")), role


def test_a_supporter_keeps_the_absolute_limit_only(client, clock, supporter_a):
    client.force_login(supporter_a.user)
    clock.shift(minutes(120))

    assert client.get(reverse("matches:list")).status_code == 200


def test_a_staff_session_ends_after_8_hours_even_when_used_all_along(client, clock, coordinator_a):
    client.force_login(coordinator_a)
    for _ in range(24):
        clock.shift(minutes(20))
        assert client.get(reverse("intake:queue")).status_code == 200

    clock.shift(minutes(20))
    response = client.get(reverse("intake:queue"), follow=True)

    assert "you had been signed in for 8 hours" in response.content.decode()


@override_settings(STAFF_IDLE_MINUTES=5)
def test_the_idle_limit_is_a_setting(client, clock, coordinator_a):
    client.force_login(coordinator_a)
    clock.shift(minutes(6))

    response = client.get(reverse("intake:queue"), follow=True)

    assert "was not used for 5 minutes" in response.content.decode()


def test_the_api_answers_401_once_an_idle_staff_session_ends(client, clock, coordinator_a):
    client.force_login(coordinator_a)
    clock.shift(minutes(31))

    response = client.get(reverse("api:matches"))

    assert response.status_code == 401
    assert "Sign in again" in response.json()["detail"]


def test_an_idle_htmx_request_sends_the_whole_page_to_sign_in(client, clock, coordinator_a):
    client.force_login(coordinator_a)
    clock.shift(minutes(31))

    response = client.get(reverse("intake:queue"), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("account_login")


def test_the_demo_staff_set_up_their_app_at_first_sign_in_and_the_logins_say_so(db):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert "set up an authenticator app" in out.getvalue()
    assert not Authenticator.objects.filter(user__email__endswith="@alongside.example").exists()
