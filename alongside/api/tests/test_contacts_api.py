"""A supporter's app logs a contact on a match through the API: the "Log a contact" page's
form and service, by whoever may log on that match there (its supporter signed in, or a
program staff token); refused without the scope, on another program's match, and a replay
with the same Idempotency-Key logs nothing new."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import MembershipFactory
from alongside.accounts.models import Role
from alongside.api.models import Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.core.models import AuditEvent
from alongside.matches.models import ContactLog, MatchStatus
from alongside.safety.models import Escalation

pytestmark = pytest.mark.django_db


def contact(**changes):
    body = {
        "occurred_at": timezone.localtime().replace(microsecond=0).isoformat(),
        "was_made": True,
        "minutes": 40,
        "method": "phone",
        "support_types": ["emotional"],
        "note": "Talked about going back to work.",
    }
    return {**body, **changes}


def post(client, match, body, key="contact-1", raw=None):
    return client.post(
        reverse("api:create_contact", args=[match.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **(bearer(raw) if raw else {}),
    )


@pytest.fixture
def staff_token(program_a, coordinator_a):
    return make_token(program_a, coordinator_a, scopes=[Scope.WRITE_CONTACTS])[1]


def test_the_supporter_logs_a_contact_on_their_match_as_on_the_page(client, match_a):
    client.force_login(match_a.supporter.user)

    response = post(client, match_a, contact())

    assert response.status_code == 201
    logged = ContactLog.objects.get(pk=response.json()["id"])
    assert (logged.match, logged.logged_by, logged.minutes) == (
        match_a,
        match_a.supporter.user,
        40,
    )
    assert logged.note == "Talked about going back to work."
    assert AuditEvent.objects.filter(action="matches.contact.logged", target_id=logged.pk).exists()
    # The matches list counts it, as the match's page does.
    listed = client.get(reverse("api:matches")).json()["items"]
    assert [(item["id"], item["minutes_logged"]) for item in listed] == [(match_a.pk, 40)]


def test_a_program_staff_token_logs_on_a_match_of_its_program(
    client, match_a, coordinator_a, staff_token
):
    response = post(client, match_a, contact(), raw=staff_token)

    assert response.status_code == 201
    assert ContactLog.objects.get().logged_by == coordinator_a


def test_needing_the_coordinator_raises_an_escalation_as_on_the_page(client, match_a):
    client.force_login(match_a.supporter.user)
    body = contact(needs_coordinator=True, is_urgent=True, what_happened="Spoke of self-harm.")

    response = post(client, match_a, body)

    assert response.json()["needs_coordinator"] is True
    assert Escalation.objects.get().contact_id == response.json()["id"]


def test_bad_answers_get_the_pages_words(client, match_a):
    client.force_login(match_a.supporter.user)

    response = post(client, match_a, contact(minutes=0, needs_coordinator=True))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert {
        "field": "minutes",
        "message": "If you talked, please give how many minutes it lasted.",
    } in errors
    assert {
        "field": "what_happened",
        "message": "Tell the coordinator what happened, in a few words.",
    } in errors
    assert not ContactLog.objects.exists()


def test_a_resource_id_past_what_the_database_keeps_is_a_422_not_a_500(client, match_a):
    client.force_login(match_a.supporter.user)

    response = post(client, match_a, contact(resource_ids=[2**64]))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert not ContactLog.objects.exists()


def test_a_closed_match_takes_no_contact(client, match_a):
    match_a.status = MatchStatus.CLOSED
    match_a.save()
    client.force_login(match_a.supporter.user)

    response = post(client, match_a, contact())

    assert response.status_code == 422
    assert response.json()["detail"] == "This match is closed; contacts can no longer be logged."
    assert not ContactLog.objects.exists()


def test_another_supporter_finds_no_such_match(client, match_a, other_supporter_a):
    client.force_login(other_supporter_a.user)

    assert post(client, match_a, contact()).status_code == 404
    assert not ContactLog.objects.exists()


def test_a_replay_with_the_same_key_logs_nothing_new_and_answers_the_same(
    client, match_a, staff_token
):
    body = contact()  # once: the time in it must be the same both times
    first = post(client, match_a, body, raw=staff_token)
    again = post(client, match_a, body, raw=staff_token)

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert ContactLog.objects.count() == 1


def test_the_same_key_with_another_body_is_refused(client, match_a, staff_token):
    post(client, match_a, contact(), raw=staff_token)

    response = post(client, match_a, contact(minutes=55), raw=staff_token)

    assert response.status_code == 422
    assert "another request" in response.json()["detail"]
    assert ContactLog.objects.count() == 1


def test_a_token_without_the_contacts_scope_is_refused(client, match_a, program_a, coordinator_a):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_MATCHES])

    response = post(client, match_a, contact(), raw=raw)

    assert response.status_code == 403
    assert "write:contacts" in response.json()["detail"]
    assert not ContactLog.objects.exists()


def test_another_programs_token_finds_no_such_match(client, match_a, program_b, coordinator_b):
    _token, raw = make_token(program_b, coordinator_b, scopes=[Scope.WRITE_CONTACTS])

    assert post(client, match_a, contact(), raw=raw).status_code == 404
    assert not ContactLog.objects.exists()


def test_a_token_of_the_creators_other_program_finds_no_such_match(
    client, match_a, program_b, coordinator_a
):
    MembershipFactory(user=coordinator_a, program=program_b, role=Role.COORDINATOR)
    _token, raw = make_token(program_b, coordinator_a, scopes=[Scope.WRITE_CONTACTS])

    assert post(client, match_a, contact(), raw=raw).status_code == 404
    assert not ContactLog.objects.exists()


def test_a_supporters_app_signed_in_sends_the_csrf_token(match_a):
    app = Client(enforce_csrf_checks=True)
    app.force_login(match_a.supporter.user)

    assert post(app, match_a, contact()).status_code == 403
    assert not ContactLog.objects.exists()
