"""A partner system (a hospital's referral system) refers a client through the API with a
token scoped to referrals; it is refused without the scope, with another program's token,
with an expired or revoked token, and a replay with the same Idempotency-Key does nothing new."""

import datetime as dt
import json

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.api.jobs import forget_keys
from alongside.api.models import IdempotencyKey, Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.api.tokens import revoke_token
from alongside.core.models import AuditEvent
from alongside.intake.models import Referral, ReferralConsent, Source, SupportRequest
from alongside.intake.queries import request_queue
from alongside.programs.models import Experience

pytestmark = pytest.mark.django_db


def referral(**changes):
    body = {
        "experience_id": Experience.objects.get().pk,
        "first_name": "Jordan",
        "language": "en",
        "contact_methods": ["phone"],
        "phone": "+16045550199",
        "goals": ["Find a drop-in group close to home"],
        "consent": {"to_share": True, "referrer_may_know_who": True},
    }
    return {**body, **changes}


def post(client, program, raw, body, key="ref-1"):
    return client.post(
        reverse("api:create_referral", args=[program.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(raw),
    )


def test_a_partners_referral_joins_the_programs_waiting_requests(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)

    response = post(client, referring, raw, referral())

    assert response.status_code == 201
    created = SupportRequest.objects.get(pk=response.json()["id"])
    assert created.source == Source.REFERRAL
    assert created in request_queue(coordinator_a)
    assert ReferralConsent.objects.get(referral__request=created).referrer_may_know_who


def test_a_replay_with_the_same_key_creates_nothing_new_and_answers_the_same(
    client, referring, coordinator_a
):
    _token, raw = make_token(referring, coordinator_a)

    first = post(client, referring, raw, referral())
    again = post(client, referring, raw, referral())

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert SupportRequest.objects.count() == 1
    assert Referral.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)
    post(client, referring, raw, referral())

    response = post(client, referring, raw, referral(first_name="Sam"))

    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert SupportRequest.objects.count() == 1


def test_a_token_without_the_referrals_scope_is_refused(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a, scopes=[Scope.READ_REQUESTS])

    response = post(client, referring, raw, referral())

    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert "write:referrals" in response.json()["detail"]
    assert not SupportRequest.objects.exists()


def test_another_programs_token_finds_no_such_program(client, referring, program_b, coordinator_b):
    _token, raw = make_token(program_b, coordinator_b)

    response = post(client, referring, raw, referral())

    assert response.status_code == 404
    assert not SupportRequest.objects.exists()


def test_an_expired_token_is_refused(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a, days=1)

    with time_machine.travel(timezone.now() + dt.timedelta(days=3)):
        response = post(client, referring, raw, referral())

    assert response.status_code == 401
    assert response.json()["detail"] == "This token has expired."
    assert not SupportRequest.objects.exists()


def test_a_revoked_token_is_refused(client, referring, coordinator_a):
    token, raw = make_token(referring, coordinator_a)
    revoke_token(token=token, revoked_by=coordinator_a)

    response = post(client, referring, raw, referral())

    assert response.status_code == 401
    assert response.json()["detail"] == "This token was revoked."


def test_a_referral_without_consent_gets_the_pages_message(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)

    response = post(client, referring, raw, referral(consent={"to_share": False}))

    assert response.status_code == 422
    assert {
        "field": "consent.to_share",
        "message": "We can only take a referral with the client's consent.",
    } in response.json()["errors"]
    assert not SupportRequest.objects.exists()
    assert not IdempotencyKey.objects.exists()  # corrected, it may be sent with the same key


def test_a_referral_without_a_way_to_reach_the_client_gets_the_pages_message(
    client, referring, coordinator_a
):
    _token, raw = make_token(referring, coordinator_a)

    response = post(client, referring, raw, referral(phone="", email="jordan@example.net"))

    assert {"field": "phone", "message": "You chose phone or text: give their phone number."} in (
        response.json()["errors"]
    )


def test_a_post_without_an_idempotency_key_is_refused(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)

    response = client.post(
        reverse("api:create_referral", args=[referring.pk]),
        json.dumps(referral()),
        content_type="application/json",
        **bearer(raw),
    )

    assert response.status_code == 422
    assert not SupportRequest.objects.exists()


def test_every_call_with_a_token_is_audited_naming_the_token(client, referring, coordinator_a):
    token, raw = make_token(referring, coordinator_a, name="St. Paul's referrals")

    post(client, referring, raw, referral())

    event = AuditEvent.objects.get(action="api.token.used")
    assert event.actor == coordinator_a
    assert event.data["token"] == "St. Paul's referrals"
    assert event.program_id == referring.pk
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_token_whose_creator_left_the_team_is_refused(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)
    coordinator_a.memberships.update(is_active=False)

    response = post(client, referring, raw, referral())

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_a_signed_in_referrer_refers_through_the_api_as_on_the_page(client, referring, ms):
    referrer = user_with_role(Role.REFERRER, referring)
    client.force_login(referrer)

    response = client.post(
        reverse("api:create_referral", args=[referring.pk]),
        json.dumps(referral()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="ref-1",
    )

    assert response.status_code == 201
    assert SupportRequest.objects.get().referred_by == referrer


def test_a_session_post_needs_the_csrf_token(referring, ms):
    referrer = user_with_role(Role.REFERRER, referring)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(referrer)

    response = browser.post(
        reverse("api:create_referral", args=[referring.pk]),
        json.dumps(referral()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="ref-1",
    )

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_a_coordinator_of_another_program_finds_no_such_program(client, referring, coordinator_b):
    client.force_login(coordinator_b)

    response = client.post(
        reverse("api:create_referral", args=[referring.pk]),
        json.dumps(referral()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="ref-1",
    )

    assert response.status_code == 404


def test_keys_older_than_a_day_are_forgotten_by_the_hourly_job(client, referring, coordinator_a):
    _token, raw = make_token(referring, coordinator_a)
    post(client, referring, raw, referral())

    assert forget_keys(0, timezone.now() + dt.timedelta(hours=23)) == 0
    assert forget_keys(0, timezone.now() + dt.timedelta(hours=25)) == 1
    assert not IdempotencyKey.objects.exists()


def test_a_key_whose_first_request_is_still_being_answered_is_a_409(
    client, referring, coordinator_a
):
    _token, raw = make_token(referring, coordinator_a)
    post(client, referring, raw, referral())
    IdempotencyKey.objects.update(status_code=0, response_body="")

    response = post(client, referring, raw, referral())

    assert response.status_code == 409


def test_a_key_whose_first_request_died_is_taken_over_and_records_nothing_twice(
    client, referring, coordinator_a
):
    _token, raw = make_token(referring, coordinator_a)
    first = post(client, referring, raw, referral())
    IdempotencyKey.objects.update(
        status_code=0, response_body="", created_at=timezone.now() - dt.timedelta(minutes=5)
    )

    again = post(client, referring, raw, referral())

    assert (again.status_code, again.json()) == (201, first.json())
    assert SupportRequest.objects.count() == 1
