"""What every operation shares: lists paged by cursor, filtered and ordered, bad values a 422
problem (never a 500), and every status an operation answers documented in the schema."""

import pytest
from django.urls import reverse

from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Source

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_waiting(program_a):
    return [SupportRequestFactory(program=program_a) for _ in range(5)]


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_a_list_pages_by_cursor_without_repeating_or_missing_a_row(
    client, coordinator_a, five_waiting
):
    client.force_login(coordinator_a)
    url = reverse("api:waiting_requests")

    first = client.get(url, {"limit": 2})
    second = client.get(url, {"limit": 2, "cursor": first.json()["next_cursor"]})
    third = client.get(url, {"limit": 2, "cursor": second.json()["next_cursor"]})

    seen = ids(first) + ids(second) + ids(third)
    assert sorted(seen) == sorted(request.pk for request in five_waiting)
    assert third.json()["next_cursor"] is None
    assert first.json()["next"].startswith(url + "?")


def test_the_next_link_gives_the_next_page(client, coordinator_a, five_waiting):
    client.force_login(coordinator_a)

    first = client.get(reverse("api:waiting_requests"), {"limit": 3})
    second = client.get(first.json()["next"])

    assert len(ids(second)) == 2
    assert not set(ids(first)) & set(ids(second))


def test_a_list_is_ordered_as_asked(client, coordinator_a, five_waiting):
    client.force_login(coordinator_a)

    latest_first = ids(client.get(reverse("api:waiting_requests"), {"ordering": "-received_at"}))

    assert latest_first == [request.pk for request in reversed(five_waiting)]


def test_a_list_is_filtered(client, coordinator_a, program_a, five_waiting):
    phoned = SupportRequestFactory(program=program_a, source=Source.PHONE)
    client.force_login(coordinator_a)

    assert ids(client.get(reverse("api:waiting_requests"), {"source": "phone"})) == [phoned.pk]


@pytest.mark.parametrize(
    ("parameters", "field"),
    [
        ({"limit": 0}, "query.limit"),
        ({"limit": 201}, "query.limit"),
        ({"limit": "many"}, "query.limit"),
        ({"ordering": "name"}, "query.ordering"),
        ({"source": "pigeon"}, "query.source"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"program_id": 10**30}, "query.program_id"),
    ],
)
def test_a_bad_parameter_is_a_422_problem_naming_it(client, coordinator_a, parameters, field):
    client.force_login(coordinator_a)

    response = client.get(reverse("api:waiting_requests"), parameters)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["status"], body["title"]) == (422, "Some values are not valid")
    assert field in [error["field"] for error in body["errors"]]


def test_an_id_past_what_the_database_keeps_is_a_422_not_an_overflow(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(reverse("api:request_shortlist", args=[10**30]))

    assert response.status_code == 422


def test_a_cursor_from_another_ordering_is_refused(client, coordinator_a, five_waiting):
    client.force_login(coordinator_a)
    url = reverse("api:waiting_requests")
    cursor = client.get(url, {"limit": 1}).json()["next_cursor"]

    response = client.get(url, {"cursor": cursor, "ordering": "-received_at"})

    assert response.status_code == 422


def test_an_anonymous_caller_gets_a_401_problem(client, db):
    response = client.get(reverse("api:matches"))

    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 401


def test_the_matches_list_pages_and_filters(client, coordinator_a, match_a):
    client.force_login(coordinator_a)
    url = reverse("api:matches")

    assert ids(client.get(url, {"status": "active"})) == [match_a.pk]
    assert ids(client.get(url, {"status": "closed"})) == []
    assert client.get(url, {"status": "over"}).status_code == 422


def test_every_operation_documents_its_errors_as_problems(client, db):
    schema = client.get(reverse("api:openapi-json")).json()

    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            documented = set(operation["responses"])
            assert {"401", "403", "422", "429"} <= documented, (method, path)
            assert operation["responses"]["401"]["content"]["application/problem+json"]["schema"][
                "$ref"
            ].endswith("/ProblemOut")
            # A token's scope, or (a supporter's own answer) no token at all.
            assert operation.get("x-scope") or operation.get("x-signed-in-only"), (method, path)
    referral = schema["paths"]["/api/v1/programs/{program_id}/referrals"]["post"]
    assert {"201", "404", "409"} <= set(referral["responses"])
