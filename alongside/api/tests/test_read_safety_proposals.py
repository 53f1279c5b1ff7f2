"""Reading escalations and a request's proposals through the API: what the creator's pages
show, in the token's program only; the scope checked; lists paged; bad values a 422."""

import pytest
from django.urls import reverse

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.matching.models import Proposal, ProposalStatus
from alongside.safety.models import Escalation, EscalationStatus, Urgency

pytestmark = pytest.mark.django_db


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def escalation(program, **fields):
    return Escalation.objects.create(
        program=program, urgency=Urgency.URGENT, what_happened="Words of the supporter", **fields
    )


# ---- Escalations -----------------------------------------------------------------------------


def test_a_token_lists_its_programs_escalations_without_their_words(
    client, program_a, program_b, coordinator_of_both, match_a
):
    ours = escalation(program_a, match=match_a)
    escalation(program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SAFETY)

    response = client.get(reverse("api:escalations"), **headers)

    assert ids(response) == [ours.pk]
    (item,) = response.json()["items"]
    assert (item["urgency"], item["status"], item["match_id"]) == ("urgent", "raised", match_a.pk)
    assert "Words" not in response.content.decode()


def test_a_token_reads_one_escalation_and_the_read_is_audited(client, program_a, coordinator_a):
    ours = escalation(program_a)
    headers = token_header(program_a, coordinator_a, Scope.READ_SAFETY)

    body = client.get(reverse("api:escalation", args=[ours.pk]), **headers).json()

    assert body["id"] == ours.pk
    assert AuditEvent.objects.get(action="safety.escalation.viewed").actor == coordinator_a


def test_another_programs_escalation_is_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    theirs = escalation(program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SAFETY)

    assert client.get(reverse("api:escalation", args=[theirs.pk]), **headers).status_code == 404


def test_escalations_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    ours = escalation(program_a)
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    assert client.get(reverse("api:escalations"), **headers).status_code == 403
    assert client.get(reverse("api:escalation", args=[ours.pk]), **headers).status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a", "peer_user"])
def test_people_the_pages_do_not_show_an_escalation_to_get_nothing(client, request, program_a, who):
    ours = escalation(program_a)
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert ids(client.get(reverse("api:escalations"))) == []
    assert client.get(reverse("api:escalation", args=[ours.pk])).status_code == 404


def test_who_raised_an_escalation_reads_it(client, program_a, supporter_a):
    ours = escalation(program_a, raised_by=supporter_a.user)
    client.force_login(supporter_a.user)

    assert client.get(reverse("api:escalation", args=[ours.pk])).status_code == 200


def test_the_escalations_list_pages_and_filters(client, coordinator_a, program_a):
    made = [escalation(program_a) for _ in range(3)]
    made[0].status = EscalationStatus.RESOLVED
    made[0].save()
    client.force_login(coordinator_a)
    url = reverse("api:escalations")

    first = client.get(url, {"limit": 2, "ordering": "created_at"})
    cursor = first.json()["next_cursor"]
    second = client.get(url, {"limit": 2, "ordering": "created_at", "cursor": cursor})

    assert ids(first) + ids(second) == [item.pk for item in made]
    assert ids(client.get(url, {"status": "resolved"})) == [made[0].pk]
    assert client.get(url, {"urgency": "soon"}).status_code == 422
    assert client.get(url, {"ordering": "status"}).status_code == 422


# ---- A request's proposals -------------------------------------------------------------------


def proposal(request_, supporter, status=ProposalStatus.PROPOSED):
    return Proposal.objects.create(
        program=request_.program, request=request_, supporter=supporter, status=status, score=42
    )


def test_a_token_lists_a_requests_proposals(
    client, program_a, coordinator_a, request_a, supporter_a
):
    made = proposal(request_a, supporter_a)
    headers = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)

    body = client.get(reverse("api:request_proposals", args=[request_a.pk]), **headers).json()

    (item,) = body["items"]
    assert (item["id"], item["supporter"], item["score"]) == (made.pk, "Sam", 42.0)


def test_proposals_page_by_cursor(client, coordinator_a, request_a, supporter_a, other_supporter_a):
    made = [
        proposal(request_a, supporter_a, ProposalStatus.DECLINED),
        proposal(request_a, other_supporter_a),
    ]
    client.force_login(coordinator_a)
    url = reverse("api:request_proposals", args=[request_a.pk])

    first = client.get(url, {"limit": 1, "ordering": "created_at"})
    second = client.get(
        url, {"limit": 1, "ordering": "created_at", "cursor": first.json()["next_cursor"]}
    )

    assert ids(first) + ids(second) == [item.pk for item in made]
    assert client.get(url, {"limit": -1}).status_code == 422


def test_another_programs_requests_proposals_are_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    theirs = SupportRequestFactory(program=program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_REQUESTS)

    response = client.get(reverse("api:request_proposals", args=[theirs.pk]), **headers)

    assert response.status_code == 404


def test_proposals_are_refused_to_a_token_without_the_scope(
    client, program_a, coordinator_a, request_a
):
    headers = token_header(program_a, coordinator_a, Scope.READ_SUPPORTERS)

    response = client.get(reverse("api:request_proposals", args=[request_a.pk]), **headers)

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a", "peer_user"])
def test_a_requests_proposals_are_404_to_people_who_do_not_match_it(
    client, request, request_a, supporter_a, who
):
    proposal(request_a, supporter_a)
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("api:request_proposals", args=[request_a.pk])).status_code == 404
