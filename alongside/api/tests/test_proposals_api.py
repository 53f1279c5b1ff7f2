"""A supporter's app answers a matching proposal through the API: the proposal page's form and
service; only the supporter asked, signed in (a token acts as program staff, who do not answer
proposals); an answered proposal is a conflict; a replay answers nothing twice."""

import json

import pytest
from django.urls import reverse

from alongside.api.models import Scope
from alongside.api.tests.conftest import bearer, make_token
from alongside.core.models import AuditEvent
from alongside.matching import services
from alongside.matching.models import ProposalStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_proposal(request_a, supporter_a, coordinator_a):
    return services.propose(
        support_request=request_a, supporter=supporter_a, proposed_by=coordinator_a
    )


def post(client, proposal, body, key="answer-1", raw=None):
    return client.post(
        reverse("api:answer_proposal", args=[proposal.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
        **(bearer(raw) if raw else {}),
    )


def test_the_supporter_accepts_as_on_the_page(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, sent_proposal, {"accept": True})

    assert response.status_code == 201
    assert response.json()["status"] == ProposalStatus.ACCEPTED
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == ProposalStatus.ACCEPTED
    assert AuditEvent.objects.filter(action="matching.proposal.accepted").count() == 1


def test_the_supporter_declines_with_a_reason(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, sent_proposal, {"accept": False, "reason": "Away in March."})

    assert response.json()["status"] == ProposalStatus.DECLINED
    sent_proposal.refresh_from_db()
    assert sent_proposal.decline_reason == "Away in March."


def test_declining_without_a_reason_gets_the_pages_words(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)

    response = post(client, sent_proposal, {"accept": False, "reason": " "})

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {
            "field": "reason",
            "message": "Please say briefly why, so the coordinator can find someone else.",
        }
    ]
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == ProposalStatus.PROPOSED


def test_an_answered_proposal_is_a_conflict(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)
    post(client, sent_proposal, {"accept": True})

    response = post(client, sent_proposal, {"accept": True}, key="answer-2")

    assert response.status_code == 409
    assert response.json()["detail"] == "This proposal is no longer waiting for an answer."


def test_a_replay_with_the_same_key_answers_the_same(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)

    first = post(client, sent_proposal, {"accept": True})
    again = post(client, sent_proposal, {"accept": True})

    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEvent.objects.filter(action="matching.proposal.accepted").count() == 1


def test_the_same_key_with_another_body_is_refused(client, sent_proposal, supporter_a):
    client.force_login(supporter_a.user)
    post(client, sent_proposal, {"accept": True})

    response = post(client, sent_proposal, {"accept": False, "reason": "Changed my mind."})

    assert response.status_code == 422
    assert "another request" in response.json()["detail"]


def test_the_coordinator_and_another_supporter_find_no_such_proposal(
    client, sent_proposal, coordinator_a, other_supporter_a
):
    for person in (coordinator_a, other_supporter_a.user):
        client.force_login(person)
        assert post(client, sent_proposal, {"accept": True}).status_code == 404
    sent_proposal.refresh_from_db()
    assert sent_proposal.status == ProposalStatus.PROPOSED


@pytest.mark.parametrize("scopes", [[Scope.WRITE_CONTACTS], [Scope.READ_MATCHES]])
def test_a_token_may_not_answer(client, sent_proposal, program_a, coordinator_a, scopes):
    _token, raw = make_token(program_a, coordinator_a, scopes=scopes)

    response = post(client, sent_proposal, {"accept": True}, raw=raw)

    assert response.status_code == 403
    assert "signed in" in response.json()["detail"]


def test_another_programs_supporter_finds_no_such_proposal(client, sent_proposal, coordinator_b):
    client.force_login(coordinator_b)

    assert post(client, sent_proposal, {"accept": True}).status_code == 404
