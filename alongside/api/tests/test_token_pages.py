"""The token pages: a program's coordinators and administrators make a token, see it once, see
it listed and revoke it; nobody else reaches them, staff of another program neither."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.api.models import ApiToken
from alongside.api.tests.conftest import make_token
from alongside.api.tokens import hash_of

pytestmark = pytest.mark.django_db


def make_one(client, program, **changes):
    return client.post(
        reverse("api_tokens:new", args=[program.pk]),
        {
            "name": "St. Paul's referrals",
            "scopes": ["write:referrals", "read:requests"],
            "expires_on": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
            **changes,
        },
    )


@pytest.mark.parametrize("persona", ["coordinator_a", "administrator"])
def test_the_programs_staff_make_a_token_and_see_it_once(client, program_a, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = make_one(client, program_a)

    assert response.status_code == 200
    secret = response.context["secret"]
    token = ApiToken.objects.get()
    assert token.token_hash == hash_of(secret)
    assert token.created_by == user
    assert secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listed = client.get(reverse("api_tokens:list", args=[program_a.pk])).content.decode()
    assert "St. Paul&#x27;s referrals" in listed
    assert token.prefix in listed
    assert secret not in listed
    last_day = timezone.localdate() + dt.timedelta(days=90)
    assert f"Last day: {date_format(last_day, 'DATE_FORMAT')}" in listed


def test_a_token_past_a_year_is_refused_with_the_reason(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = make_one(
        client, program_a, expires_on=(timezone.localdate() + dt.timedelta(days=500)).isoformat()
    )

    assert "at most a year" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_scope(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = make_one(client, program_a, scopes=[])

    assert response.status_code == 200
    assert response.context["form"].errors["scopes"]
    assert not ApiToken.objects.exists()


def test_revoking_asks_first_then_revokes(client, program_a, coordinator_a, administrator):
    token, _raw = make_token(program_a, coordinator_a)
    client.force_login(administrator)
    url = reverse("api_tokens:revoke", args=[token.pk])

    asked = client.get(url)
    done = client.post(url, follow=True)

    assert "cannot be brought back" in asked.content.decode()
    assert "revoked" in done.content.decode()
    token.refresh_from_db()
    assert token.revoked_by == administrator


@pytest.mark.parametrize(
    "role", [Role.SUPPORTER, Role.REFERRER, Role.SUPERVISOR, Role.PRIVACY_LEAD]
)
def test_other_roles_of_the_program_are_refused(client, program_a, role):
    client.force_login(user_with_role(role, program_a))

    assert client.get(reverse("api_tokens:list", args=[program_a.pk])).status_code == 403


def test_another_programs_coordinator_finds_neither_the_pages_nor_the_tokens(
    client, program_a, coordinator_a, coordinator_b
):
    token, _raw = make_token(program_a, coordinator_a)
    client.force_login(coordinator_b)

    assert client.get(reverse("api_tokens:list", args=[program_a.pk])).status_code == 404
    assert client.get(reverse("api_tokens:new", args=[program_a.pk])).status_code == 404
    assert client.post(reverse("api_tokens:revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_settings_page_leads_to_the_tokens(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()

    assert reverse("api_tokens:list", args=[program_a.pk]) in page
