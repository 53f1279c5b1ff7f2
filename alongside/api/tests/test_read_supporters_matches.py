"""Reading supporters, a match and its contacts through the API: what the creator's pages
show, in the token's program only; the scope checked; lists paged; bad values a 422."""

import datetime as dt

import pytest
from django.urls import reverse

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.core.models import AuditEvent
from alongside.matches.factories import ContactLogFactory, HoursReportFactory, MatchFactory
from alongside.matches.models import MatchStatus
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import Supporter

pytestmark = pytest.mark.django_db


def ids(response):
    return [item["id"] for item in response.json()["items"]]


# ---- Supporters ------------------------------------------------------------------------------


def test_a_token_lists_its_programs_supporters_with_their_places_in_use(
    client, program_a, program_b, coordinator_of_both, match_a, other_supporter_a
):
    SupporterFactory(program=program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SUPPORTERS)

    items = client.get(reverse("api:supporters"), **headers).json()["items"]

    assert {item["id"]: item["places_in_use"] for item in items} == {
        match_a.supporter_id: 1,
        other_supporter_a.pk: 0,
    }
    sam = next(item for item in items if item["id"] == match_a.supporter_id)
    assert sam["name"] == "Sam"  # as the pages show a supporter
    assert "Oyelaran" not in str(items)
    assert "@" not in str(items)


def test_the_supporters_list_is_what_the_supporter_pages_reach(
    client, coordinator_a, supporter_a, other_supporter_a, program_b
):
    SupporterFactory(program=program_b)
    client.force_login(coordinator_a)

    listed = set(ids(client.get(reverse("api:supporters"))))

    assert listed == set(Supporter.objects.staffed_by(coordinator_a).values_list("pk", flat=True))
    assert listed == {supporter_a.pk, other_supporter_a.pk}


def test_a_token_reads_one_supporter_and_the_read_is_audited(
    client, program_a, coordinator_a, supporter_a
):
    headers = token_header(program_a, coordinator_a, Scope.READ_SUPPORTERS)

    body = client.get(reverse("api:supporter", args=[supporter_a.pk]), **headers).json()

    assert (body["id"], body["status"], body["places_in_use"]) == (
        supporter_a.pk,
        supporter_a.status,
        0,
    )
    event = AuditEvent.objects.get(action="supporters.supporter.viewed")
    assert event.actor == coordinator_a


def test_another_programs_supporter_is_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    theirs = SupporterFactory(program=program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SUPPORTERS)

    assert client.get(reverse("api:supporter", args=[theirs.pk]), **headers).status_code == 404
    assert theirs.pk not in ids(client.get(reverse("api:supporters"), **headers))


def test_supporters_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    assert client.get(reverse("api:supporters"), **headers).status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "other_supporter_a", "peer_user"])
def test_people_the_pages_do_not_show_a_supporter_to_get_nothing(client, request, supporter_a, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    assert supporter_a.pk not in ids(client.get(reverse("api:supporters")))
    assert client.get(reverse("api:supporter", args=[supporter_a.pk])).status_code == 404


def test_the_supporters_list_pages_and_filters(client, coordinator_a, program_a):
    made = [SupporterFactory(program=program_a) for _ in range(3)]
    made[0].status = "paused"
    made[0].save()
    client.force_login(coordinator_a)
    url = reverse("api:supporters")

    first = client.get(url, {"limit": 2})
    second = client.get(url, {"limit": 2, "cursor": first.json()["next_cursor"]})

    assert ids(first) + ids(second) == [supporter.pk for supporter in made]
    assert ids(client.get(url, {"status": "paused"})) == [made[0].pk]
    assert ids(client.get(url, {"program_id": program_a.pk + 1000})) == []


@pytest.mark.parametrize(
    "parameters",
    [{"status": "asleep"}, {"ordering": "name"}, {"limit": 500}, {"cursor": "x"}],
)
def test_a_bad_supporters_parameter_is_a_422(client, coordinator_a, parameters):
    client.force_login(coordinator_a)

    response = client.get(reverse("api:supporters"), parameters)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


# ---- A match and its contacts ----------------------------------------------------------------


def test_a_token_reads_a_match_with_its_hours(client, program_a, coordinator_a, match_a):
    ContactLogFactory(match=match_a, minutes=30)
    ContactLogFactory(match=match_a, minutes=15, was_made=False)
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    body = client.get(reverse("api:match_detail", args=[match_a.pk]), **headers).json()

    assert (body["id"], body["request_id"], body["supporter"]) == (
        match_a.pk,
        match_a.request_id,
        "Sam",
    )
    assert (body["contacts_made"], body["attempts"]) == (1, 1)
    assert AuditEvent.objects.filter(action="matches.match.viewed").count() == 1


def test_a_supporter_reads_their_own_match_and_no_other(client, match_a, other_supporter_a):
    theirs = MatchFactory(program=match_a.program, supporter=other_supporter_a)
    client.force_login(match_a.supporter.user)

    assert client.get(reverse("api:match_detail", args=[match_a.pk])).status_code == 200
    assert client.get(reverse("api:match_detail", args=[theirs.pk])).status_code == 404


def test_a_matchs_contacts_are_read_without_their_notes(client, program_a, coordinator_a, match_a):
    contact = ContactLogFactory(match=match_a, note="Private words")
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)

    response = client.get(reverse("api:match_contacts", args=[match_a.pk]), **headers)

    assert ids(response) == [contact.pk]
    assert response.json()["items"][0]["minutes"] == 45
    assert "Private words" not in response.content.decode()


def test_a_matchs_contacts_page_by_cursor(client, coordinator_a, match_a):
    made = [ContactLogFactory(match=match_a) for _ in range(3)]
    client.force_login(coordinator_a)
    url = reverse("api:match_contacts", args=[match_a.pk])

    first = client.get(url, {"limit": 2, "ordering": "occurred_at"})
    second = client.get(
        url, {"limit": 2, "ordering": "occurred_at", "cursor": first.json()["next_cursor"]}
    )

    assert ids(first) + ids(second) == [contact.pk for contact in made]
    assert client.get(url, {"ordering": "minutes"}).status_code == 422


def test_another_programs_match_is_404_to_a_token(
    client, program_a, program_b, coordinator_of_both, match_a
):
    headers = token_header(program_b, coordinator_of_both, Scope.READ_MATCHES)

    for name in ("api:match_detail", "api:match_contacts"):
        assert client.get(reverse(name, args=[match_a.pk]), **headers).status_code == 404


def test_a_match_is_refused_to_a_token_without_the_scope(client, program_a, coordinator_a, match_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)

    for name in ("api:match_detail", "api:match_contacts"):
        assert client.get(reverse(name, args=[match_a.pk]), **headers).status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "peer_user"])
def test_a_match_is_404_to_people_whose_pages_do_not_show_it(client, request, match_a, who):
    client.force_login(request.getfixturevalue(who))

    for name in ("api:match_detail", "api:match_contacts"):
        assert client.get(reverse(name, args=[match_a.pk])).status_code == 404


def test_a_closed_match_reads_its_closure(client, coordinator_a, match_a):
    match_a.status = MatchStatus.CLOSED
    match_a.closure_reason = "completed"
    match_a.save()
    client.force_login(coordinator_a)

    body = client.get(reverse("api:match_detail", args=[match_a.pk])).json()

    assert (body["status"], body["closure_reason"]) == ("closed", "completed")


# ---- Hours reports ---------------------------------------------------------------------------


def test_a_token_lists_its_programs_hours_reports(
    client, program_a, program_b, coordinator_of_both, supporter_a
):
    ours = HoursReportFactory(supporter=supporter_a)
    HoursReportFactory(supporter=SupporterFactory(program=program_b))
    headers = token_header(program_a, coordinator_of_both, Scope.READ_MATCHES)

    (item,) = client.get(reverse("api:hours_reports"), **headers).json()["items"]

    assert (item["id"], item["supporter"], item["logged_minutes"]) == (ours.pk, "Sam", 150)
    assert item["band"] in {"below", "within", "above"}


def test_a_supporter_lists_only_their_own_hours_reports(client, supporter_a, other_supporter_a):
    own = HoursReportFactory(supporter=supporter_a)
    HoursReportFactory(supporter=other_supporter_a)
    client.force_login(supporter_a.user)

    assert ids(client.get(reverse("api:hours_reports"))) == [own.pk]


def test_hours_reports_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_SUPPORTERS)

    assert client.get(reverse("api:hours_reports"), **headers).status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "peer_user"])
def test_people_without_access_list_no_hours_reports(client, request, supporter_a, who):
    HoursReportFactory(supporter=supporter_a)
    client.force_login(request.getfixturevalue(who))

    assert ids(client.get(reverse("api:hours_reports"))) == []


def test_hours_reports_page_and_filter(client, coordinator_a, supporter_a, other_supporter_a):
    older = HoursReportFactory(supporter=supporter_a, month=dt.date(2026, 1, 1))
    newer = HoursReportFactory(supporter=supporter_a, month=dt.date(2026, 2, 1))
    theirs = HoursReportFactory(supporter=other_supporter_a, month=dt.date(2026, 3, 1))
    client.force_login(coordinator_a)
    url = reverse("api:hours_reports")

    first = client.get(url, {"limit": 2})
    second = client.get(url, {"limit": 2, "cursor": first.json()["next_cursor"]})

    assert ids(first) + ids(second) == [theirs.pk, newer.pk, older.pk]
    assert ids(client.get(url, {"supporter_id": supporter_a.pk, "ordering": "month"})) == [
        older.pk,
        newer.pk,
    ]
    assert client.get(url, {"supporter_id": 0}).status_code == 422
    assert client.get(url, {"ordering": "supporter"}).status_code == 422
