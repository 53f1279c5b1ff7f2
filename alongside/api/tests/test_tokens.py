"""The rules of API tokens: only a hash kept, one program, scopes, an expiry of at most a year,
revocation, the rate limit, and a token that sees only what its creator's pages show."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.api.models import ApiToken, Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.api.tokens import (
    TokenRefusedError,
    hash_of,
    issue_token,
    note_use,
    revoke_token,
    token_in_force,
)
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory

pytestmark = pytest.mark.django_db


def test_only_a_hash_of_the_token_is_kept(program_a, coordinator_a):
    token, raw = make_token(program_a, coordinator_a)

    assert raw.startswith("alg_")
    assert len(raw) > 40
    stored = ApiToken.objects.values_list(flat=False).get(pk=token.pk)
    assert raw not in [str(value) for value in stored]
    assert token.token_hash == hash_of(raw)
    assert raw.startswith(token.prefix)
    assert len(token.prefix) == 12


def test_making_a_token_is_audited_without_its_secret(program_a, coordinator_a):
    token, raw = make_token(program_a, coordinator_a)

    event = AuditEvent.objects.get(action="api.token.created")
    assert (event.actor, event.program_id, event.target_id) == (
        coordinator_a,
        program_a.pk,
        str(token.pk),
    )
    assert raw not in str(event.data)


@pytest.mark.parametrize("role", [Role.SUPPORTER, Role.REFERRER, Role.SUPERVISOR])
def test_only_the_programs_coordinators_and_administrators_make_tokens(program_a, role):
    someone = user_with_role(role, program_a)

    with pytest.raises(DomainError, match="coordinators and administrators"):
        make_token(program_a, someone)


def test_a_coordinator_of_another_program_cannot_make_one_for_this_program(
    program_a, coordinator_b
):
    with pytest.raises(DomainError):
        make_token(program_a, coordinator_b)


def test_a_token_lasts_at_most_a_year(program_a, coordinator_a):
    with pytest.raises(DomainError, match="at most a year"):
        make_token(program_a, coordinator_a, days=400)


def test_a_token_cannot_expire_in_the_past(program_a, coordinator_a):
    with pytest.raises(DomainError, match="from today on"):
        make_token(program_a, coordinator_a, days=-1)


def test_a_token_needs_a_name_and_a_scope(program_a, coordinator_a):
    with pytest.raises(DomainError, match="name"):
        make_token(program_a, coordinator_a, name="  ")
    with pytest.raises(DomainError, match="at least one"):
        make_token(program_a, coordinator_a, scopes=[])
    with pytest.raises(DomainError, match="at least one"):
        make_token(program_a, coordinator_a, scopes=["delete:everything"])


def test_a_token_expires_at_the_end_of_its_last_day_in_the_programs_zone(program_a, coordinator_a):
    last_day = timezone.localdate() + dt.timedelta(days=10)
    token, raw = issue_token(
        program=program_a,
        created_by=coordinator_a,
        name="Reports",
        scopes=[Scope.READ_MATCHES],
        expires_on=last_day,
    )

    local = token.expires_at.astimezone(dt.timezone(dt.timedelta(hours=-5)))
    assert (local.date(), local.time()) == (last_day + dt.timedelta(days=1), dt.time())
    assert token_in_force(raw, now=token.expires_at - dt.timedelta(seconds=1)) == token
    with pytest.raises(TokenRefusedError, match="expired"):
        token_in_force(raw, now=token.expires_at)


def test_a_revoked_token_is_refused_and_the_revocation_audited(
    program_a, coordinator_a, administrator
):
    token, raw = make_token(program_a, coordinator_a)

    assert revoke_token(token=token, revoked_by=administrator)
    assert not revoke_token(token=token, revoked_by=administrator)

    with pytest.raises(TokenRefusedError, match="revoked"):
        token_in_force(raw)
    (event,) = AuditEvent.objects.filter(action="api.token.revoked")
    assert event.actor == administrator


def test_an_unknown_token_is_refused():
    with pytest.raises(TokenRefusedError, match="not known"):
        token_in_force("alg_not-a-token")


def test_last_used_is_written_at_most_once_a_minute(program_a, coordinator_a):
    token, _raw = make_token(program_a, coordinator_a)
    now = timezone.now()

    note_use(token, now=now)
    note_use(token, now=now + dt.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == now
    note_use(token, now=now + dt.timedelta(seconds=61))
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(seconds=61)


@override_settings(API_TOKEN_RATE_LIMIT=2)
def test_a_token_past_its_rate_limit_gets_429_with_retry_after(client, program_a, coordinator_a):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])
    url = reverse("api:waiting_requests")

    statuses = [client.get(url, **bearer(raw)).status_code for _ in range(3)]
    refused = client.get(url, **bearer(raw))

    assert statuses == [200, 200, 429]
    assert refused["Content-Type"] == "application/problem+json"
    assert 1 <= int(refused["Retry-After"]) <= 60


@override_settings(API_TOKEN_RATE_LIMIT=1)
def test_each_token_has_its_own_rate_limit(client, program_a, coordinator_a):
    _first, first_raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])
    _second, second_raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])
    url = reverse("api:waiting_requests")

    client.get(url, **bearer(first_raw))

    assert client.get(url, **bearer(second_raw)).status_code == 200


def test_a_token_reads_only_its_program_of_what_its_creator_sees(
    client, program_a, program_b, coordinator_a
):
    coordinator_a.memberships.create(program=program_b, role=Role.COORDINATOR)
    in_a = SupportRequestFactory(program=program_a)
    SupportRequestFactory(program=program_b)
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])

    body = client.get(reverse("api:waiting_requests"), **bearer(raw)).json()

    assert [item["id"] for item in body["items"]] == [in_a.pk]


def test_a_token_whose_creator_lost_the_role_sees_nothing(client, program_a, coordinator_a):
    SupportRequestFactory(program=program_a)
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])
    coordinator_a.memberships.update(is_active=False)

    response = client.get(reverse("api:waiting_requests"), **bearer(raw))

    assert response.status_code == 403


def test_a_token_without_the_scope_of_a_read_is_refused(client, program_a, coordinator_a):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])

    response = client.get(reverse("api:matches"), **bearer(raw))

    assert response.status_code == 403
    assert "read:matches" in response.json()["detail"]


def test_a_session_still_reads_the_api(client, program_a, coordinator_a):
    SupportRequestFactory(program=program_a)
    client.force_login(coordinator_a)

    assert len(client.get(reverse("api:waiting_requests")).json()["items"]) == 1


def test_a_token_finds_no_shortlist_outside_its_program_even_where_its_creator_works(
    client, program_a, program_b, coordinator_a
):
    coordinator_a.memberships.create(program=program_b, role=Role.COORDINATOR)
    elsewhere = SupportRequestFactory(program=program_b)
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_REQUESTS])

    response = client.get(reverse("api:request_shortlist", args=[elsewhere.pk]), **bearer(raw))

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
