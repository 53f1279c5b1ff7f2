"""A supporter's app confirms their month's hours through the API: the monthly hours page's
form and service; only the report's own supporter may, a confirmed month is a conflict, and a
replay with the same Idempotency-Key confirms nothing twice."""

import json

import pytest
from django.urls import reverse

from alongside.api.models import Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.core.models import AuditEvent
from alongside.matches.factories import HoursReportFactory
from alongside.matches.models import HoursReport
from alongside.matches.queries import hours_reports_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(supporter_a):
    return HoursReportFactory(supporter=supporter_a)


def hours(**changes):
    return {"hours": 2.5, "contacts": 3, "anything_to_know": "One call was not logged."} | changes


def post(client, report, body, key="hours-1", raw=None):
    return client.post(
        reverse("api:confirm_hours", args=[report.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **(bearer(raw) if raw else {}),
    )


def test_the_supporter_confirms_their_month_as_on_the_page(client, report, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, report, hours())

    assert response.status_code == 201
    assert (response.json()["confirmed_minutes"], response.json()["confirmed_contacts"]) == (
        150,
        3,
    )
    listed = hours_reports_for(supporter_a.user).get(pk=report.pk)
    assert listed.is_confirmed
    assert listed.anything_to_know == "One call was not logged."
    assert AuditEvent.objects.filter(action="matches.hours_report.confirmed").count() == 1


def test_bad_answers_get_the_pages_words(client, report, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, report, hours(hours=301, contacts=-1))

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"hours", "contacts"}
    assert not HoursReport.objects.get().is_confirmed


def test_hours_with_nobody_contacted_get_the_services_words(client, report, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, report, hours(contacts=0))

    assert response.status_code == 422
    assert response.json()["detail"] == (
        "Hours with nobody contacted: please give how many contacts."
    )


def test_a_confirmed_month_is_a_conflict(client, report, supporter_a):
    client.force_login(supporter_a.user)
    post(client, report, hours())

    response = post(client, report, hours(), key="hours-2")

    assert response.status_code == 409
    assert response.json()["detail"] == "This month's hours are already confirmed."


def test_a_replay_with_the_same_key_answers_the_same(client, report, supporter_a):
    client.force_login(supporter_a.user)

    first = post(client, report, hours())
    again = post(client, report, hours())

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="matches.hours_report.confirmed").count() == 1


def test_the_same_key_with_another_body_is_refused(client, report, supporter_a):
    client.force_login(supporter_a.user)
    post(client, report, hours())

    response = post(client, report, hours(contacts=4))

    assert response.status_code == 422
    assert "another request" in response.json()["detail"]


def test_someone_else_finds_no_such_report(client, report, other_supporter_a, coordinator_a):
    for person in (other_supporter_a.user, coordinator_a):
        client.force_login(person)
        assert post(client, report, hours()).status_code == 404
    assert not HoursReport.objects.get().is_confirmed


def test_a_staff_token_finds_no_such_report(client, report, program_a, coordinator_a):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.WRITE_CONTACTS])

    assert post(client, report, hours(), raw=raw).status_code == 404


def test_a_token_without_the_contacts_scope_is_refused(client, report, program_a, coordinator_a):
    _token, raw = make_token(program_a, coordinator_a, scopes=[Scope.READ_MATCHES])

    response = post(client, report, hours(), raw=raw)

    assert response.status_code == 403
    assert "write:contacts" in response.json()["detail"]


def test_another_programs_token_finds_no_such_report(client, report, program_b, coordinator_b):
    _token, raw = make_token(program_b, coordinator_b, scopes=[Scope.WRITE_CONTACTS])

    assert post(client, report, hours(), raw=raw).status_code == 404
