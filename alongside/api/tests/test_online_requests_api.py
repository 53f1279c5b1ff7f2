"""A partner's form (an employer's wellbeing portal) sends the request a person made there
through the API: the program's own request form and service, its checks and words, the
person's consent; refused without the scope or with another program's token; a replay with
the same Idempotency-Key does nothing new."""

import json

import pytest
from django.urls import reverse

from alongside.api.models import IdempotencyKey, Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.core.models import AuditEvent
from alongside.intake.models import Source, SupportRequest
from alongside.intake.queries import request_queue
from alongside.safety.models import Escalation

pytestmark = pytest.mark.django_db

CRISIS_QUESTION = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself right now?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}


@pytest.fixture
def portal(program_a, coordinator_a):
    program_a.crisis_questions = [CRISIS_QUESTION]
    program_a.save()
    return make_token(program_a, coordinator_a, scopes=[Scope.WRITE_REQUESTS])[1]


def asked(ms, **changes):
    body = {
        "first_name": "Maya",
        "email": "maya@example.net",
        "contact_methods": ["email"],
        "language": "fr",
        "experience_id": ms.pk,
        "relationship": "self",
        "consent": {"to_support": True},
    }
    return {**body, **changes}


def post(client, program, raw, body, key="online-1"):
    return client.post(
        reverse("api:create_online_request", args=[program.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **bearer(raw),
    )


def test_the_persons_request_joins_the_waiting_requests_as_from_the_form(
    client, program_a, coordinator_a, portal, ms
):
    response = post(client, program_a, portal, asked(ms))

    assert response.status_code == 201
    created = SupportRequest.objects.get(pk=response.json()["id"])
    assert (created.source, created.entered_by) == (Source.PUBLIC_FORM, coordinator_a)
    assert created.peer.email == "maya@example.net"
    assert created in request_queue(coordinator_a)
    event = AuditEvent.objects.get(action="intake.request.submitted")
    assert event.actor == coordinator_a


def test_a_crisis_the_screening_signals_is_escalated(client, program_a, portal, ms):
    response = post(client, program_a, portal, asked(ms, crisis_answers={"safe_now": "Yes"}))

    assert response.json()["crisis_signalled"] is True
    assert Escalation.objects.get().support_request_id == response.json()["id"]


def test_without_consent_the_request_is_not_taken_with_the_forms_words(
    client, program_a, portal, ms
):
    response = post(client, program_a, portal, asked(ms, consent={"to_support": False}))

    assert response.status_code == 422
    assert {
        "field": "consent.to_support",
        "message": "We need your agreement before we can help.",
    } in response.json()["errors"]
    assert not SupportRequest.objects.exists()
    assert not IdempotencyKey.objects.exists()


def test_no_way_to_reach_them_gets_the_forms_words(client, program_a, portal, ms):
    response = post(client, program_a, portal, asked(ms, email=""))

    assert {
        "field": "email",
        "message": "Please give an e-mail address or a phone number.",
    } in response.json()["errors"]


def test_a_replay_with_the_same_key_creates_nothing_new(client, program_a, portal, ms):
    first = post(client, program_a, portal, asked(ms))
    again = post(client, program_a, portal, asked(ms))

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert SupportRequest.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, program_a, portal, ms):
    post(client, program_a, portal, asked(ms))

    response = post(client, program_a, portal, asked(ms, first_name="Sam"))

    assert response.status_code == 422
    assert SupportRequest.objects.count() == 1


def test_a_token_without_the_requests_scope_is_refused(client, program_a, coordinator_a, ms):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.WRITE_REFERRALS])

    response = post(client, program_a, raw, asked(ms))

    assert response.status_code == 403
    assert not SupportRequest.objects.exists()


def test_another_programs_token_finds_no_such_program(
    client, program_a, program_b, coordinator_b, ms
):
    _token, raw = make_token(program_b, coordinator_b, scopes=[Scope.WRITE_REQUESTS])

    assert post(client, program_a, raw, asked(ms)).status_code == 404
    assert not SupportRequest.objects.exists()


def test_a_program_that_takes_no_requests_online_is_a_conflict(client, program_a, portal, ms):
    program_a.accepts_public_requests = False
    program_a.save()

    response = post(client, program_a, portal, asked(ms))

    assert response.status_code == 409
    assert response.json()["detail"] == "This program does not take requests online."
