"""Reading group sessions through the API: the sessions pages' own scope, in the token's
program only; the scope checked; lists paged; bad values a 422."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.models import AttendanceStatus

pytestmark = pytest.mark.django_db


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_a_token_lists_its_programs_sessions_with_their_counts(
    client, program_a, program_b, coordinator_of_both, supporter_a
):
    ours = GroupSessionFactory(program=program_a, video_link="https://call.example/secret")
    AttendanceFactory(session=ours, supporter=supporter_a, status=AttendanceStatus.ATTENDING)
    GroupSessionFactory(program=program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SUPPORTERS)

    response = client.get(reverse("api:group_sessions"), **headers)

    (item,) = response.json()["items"]
    assert (item["id"], item["invited"], item["coming"]) == (ours.pk, 1, 1)
    assert "secret" not in response.content.decode()
    detail = client.get(reverse("api:group_session", args=[ours.pk]), **headers).json()
    assert detail == item


def test_an_invited_supporter_reads_their_session_and_no_other(client, program_a, supporter_a):
    invited = AttendanceFactory(supporter=supporter_a, session__program=program_a).session
    other = GroupSessionFactory(program=program_a)
    client.force_login(supporter_a.user)

    assert client.get(reverse("api:group_session", args=[invited.pk])).status_code == 200
    assert client.get(reverse("api:group_session", args=[other.pk])).status_code == 404
    assert ids(client.get(reverse("api:group_sessions"))) == []  # the list is the staff's


def test_another_programs_session_is_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    theirs = GroupSessionFactory(program=program_b)
    headers = token_header(program_a, coordinator_of_both, Scope.READ_SUPPORTERS)

    response = client.get(reverse("api:group_session", args=[theirs.pk]), **headers)

    assert response.status_code == 404


def test_sessions_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)

    assert client.get(reverse("api:group_sessions"), **headers).status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "peer_user"])
def test_people_without_access_read_no_session(client, request, program_a, who):
    ours = GroupSessionFactory(program=program_a)
    client.force_login(request.getfixturevalue(who))

    assert ids(client.get(reverse("api:group_sessions"))) == []
    assert client.get(reverse("api:group_session", args=[ours.pk])).status_code == 404


def test_sessions_page_and_filter(client, coordinator_a, program_a):
    soon = timezone.now() + dt.timedelta(days=1)
    made = [
        GroupSessionFactory(program=program_a, starts_at=soon + dt.timedelta(days=days))
        for days in range(3)
    ]
    made[2].kind = "workshop"
    made[2].save()
    client.force_login(coordinator_a)
    url = reverse("api:group_sessions")

    first = client.get(url, {"limit": 2})
    second = client.get(url, {"limit": 2, "cursor": first.json()["next_cursor"]})

    assert ids(first) + ids(second) == [session.pk for session in made]
    assert ids(client.get(url, {"kind": "workshop"})) == [made[2].pk]
    assert client.get(url, {"kind": "party"}).status_code == 422
    assert client.get(url, {"ordering": "title"}).status_code == 422
