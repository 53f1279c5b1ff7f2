"""A partner's intake system (or a call centre's) sends a request taken on the phone through
the API: the call page's form and service, its checks and words; refused without the scope or
with another program's token; a replay with the same Idempotency-Key does nothing new."""

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from alongside.accounts.factories import MembershipFactory
from alongside.accounts.models import Role
from alongside.api.models import IdempotencyKey, Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.intake.models import Source, SupportRequest
from alongside.intake.queries import request_queue
from alongside.safety.models import Escalation

pytestmark = pytest.mark.django_db

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
DURING_THE_CALL = dt.datetime(2026, 1, 13, 10, 20, tzinfo=TORONTO)
CRISIS_QUESTION = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself right now?",
    "answers": ["No", "Yes", "I'd rather not say"],
    "crisis_answers": ["Yes"],
}


@pytest.fixture(autouse=True)
def during_the_call():
    with time_machine.travel(DURING_THE_CALL, tick=False):
        yield


@pytest.fixture
def calls(program_a, coordinator_a):
    program_a.crisis_questions = [CRISIS_QUESTION]
    program_a.save()
    return make_token(program_a, coordinator_a, scopes=[Scope.WRITE_REQUESTS])[1]


def call(ms, **changes):
    body = {
        "call_started_at": "2026-01-13T10:05:00",
        "call_back_at": "2026-01-14T18:30:00-05:00",
        "best_times": "Evenings after 6",
        "crisis_answers": {"safe_now": "No"},
        "first_name": "Maya",
        "phone": "416 555 0142",
        "contact_methods": ["phone"],
        "language": "en",
        "experience_id": ms.pk,
        "relationship": "self",
        "consent": {"to_support": True},
    }
    return {**body, **changes}


def post(client, program, raw, body, key="call-1"):
    return client.post(
        reverse("api:create_phone_request", args=[program.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(raw),
    )


def test_a_call_joins_the_waiting_requests_as_on_the_page(
    client, program_a, coordinator_a, calls, ms
):
    response = post(client, program_a, calls, call(ms))

    assert response.status_code == 201
    created = SupportRequest.objects.get(pk=response.json()["id"])
    assert (created.source, created.entered_by) == (Source.PHONE, coordinator_a)
    # The promise counts from the call's start, typed on the program's clock.
    assert created.received_at == dt.datetime(2026, 1, 13, 10, 5, tzinfo=TORONTO)
    assert created.call_back_at == dt.datetime(2026, 1, 14, 18, 30, tzinfo=TORONTO)
    assert created.peer.phone == "+14165550142"
    assert created in request_queue(coordinator_a)
    assert response.json()["crisis_signalled"] is False
    assert not Escalation.objects.exists()


def test_a_crisis_the_screening_signals_is_escalated_as_on_the_page(client, program_a, calls, ms):
    response = post(client, program_a, calls, call(ms, crisis_answers={"safe_now": "Yes"}))

    assert response.status_code == 201
    assert response.json()["crisis_signalled"] is True
    assert Escalation.objects.get().support_request_id == response.json()["id"]


def test_without_consent_the_request_is_not_taken_with_the_pages_words(
    client, program_a, calls, ms
):
    response = post(client, program_a, calls, call(ms, consent={"to_support": False}))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert {
        "field": "consent.to_support",
        "message": "Read them the consent, and tick this once they agree: "
        "we cannot take the request without it.",
    } in response.json()["errors"]
    assert not SupportRequest.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_the_screening_unanswered_and_a_call_in_the_future_get_the_pages_words(
    client, program_a, calls, ms
):
    body = call(ms, crisis_answers={}, call_started_at="2026-01-13T11:00:00")

    errors = post(client, program_a, calls, body).json()["errors"]

    assert {
        "field": "crisis_answers.safe_now",
        "message": "Ask this first, and choose their answer.",
    } in errors
    assert {"field": "call_started_at", "message": "The call cannot start in the future."} in (
        errors
    )


def test_a_consent_the_program_does_not_ask_is_refused(client, program_a, calls, ms):
    body = call(ms, consent={"to_support": True, "also": ["marketing"]})

    response = post(client, program_a, calls, body)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "consent.also"
    assert not SupportRequest.objects.exists()


def test_a_replay_with_the_same_key_creates_nothing_new_and_answers_the_same(
    client, program_a, calls, ms
):
    first = post(client, program_a, calls, call(ms))
    again = post(client, program_a, calls, call(ms))

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert SupportRequest.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, program_a, calls, ms):
    post(client, program_a, calls, call(ms))

    response = post(client, program_a, calls, call(ms, first_name="Sam"))

    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert SupportRequest.objects.count() == 1


def test_a_token_without_the_requests_scope_is_refused(client, program_a, coordinator_a, ms):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.WRITE_REFERRALS])

    response = post(client, program_a, raw, call(ms))

    assert response.status_code == 403
    assert "write:requests" in response.json()["detail"]
    assert not SupportRequest.objects.exists()


def test_another_programs_token_finds_no_such_program(
    client, program_a, program_b, coordinator_b, ms
):
    _token, raw = make_token(program_b, coordinator_b, scopes=[Scope.WRITE_REQUESTS])

    response = post(client, program_a, raw, call(ms))

    assert response.status_code == 404
    assert not SupportRequest.objects.exists()


def test_a_program_that_takes_no_calls_is_a_conflict(client, program_a, calls, ms):
    program_a.accepts_phone_requests = False
    program_a.save()

    response = post(client, program_a, calls, call(ms))

    assert response.status_code == 409
    assert not SupportRequest.objects.exists()


def test_a_supporter_signed_in_finds_no_such_program(client, program_a, supporter_a, ms):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("api:create_phone_request", args=[program_a.pk]),
        json.dumps(call(ms)),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="call-1",
    )

    assert response.status_code == 404
    assert not SupportRequest.objects.exists()


def test_a_token_of_the_creators_other_program_finds_no_such_program(
    client, program_a, program_b, coordinator_a, ms
):
    MembershipFactory(user=coordinator_a, program=program_b, role=Role.COORDINATOR)
    _token, raw = make_token(program_b, coordinator_a, scopes=[Scope.WRITE_REQUESTS])

    assert post(client, program_a, raw, call(ms)).status_code == 404
    assert not SupportRequest.objects.exists()
