"""Reading a goal-based match's goals through the API: what the match page lists, without the
goals' words or notes, in the token's program only; the scope checked; paged."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.matches.factories import GoalFactory, MatchFactory
from alongside.matches.models import GoalNote, GoalStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal_based(program_a):
    program_a.is_goal_based = True
    program_a.save(update_fields=["is_goal_based"])
    return MatchFactory(program=program_a)


def goals_url(match):
    return reverse("api:match_goals", args=[match.pk])


def ids(response):
    return [item["id"] for item in response.json()["items"]]


def test_a_token_reads_the_goals_the_match_page_lists_without_their_words(
    client, program_a, coordinator_a, goal_based
):
    today = timezone.localdate()
    first = GoalFactory(match=goal_based, agreed_on=today - dt.timedelta(days=20))
    second = GoalFactory(
        match=goal_based,
        agreed_on=today - dt.timedelta(days=5),
        status=GoalStatus.ACHIEVED,
        description="Private words about the goal",
    )
    GoalNote.objects.create(goal=second, note="Went swimming twice", status=GoalStatus.ACHIEVED)
    headers = token_header(program_a, coordinator_a, Scope.READ_MATCHES)
    client.force_login(coordinator_a)
    page = client.get(reverse("matches:detail", args=[goal_based.pk]))

    response = client.get(goals_url(goal_based), **headers)

    assert [goal.pk for goal in page.context["goals"]] == [first.pk, second.pk]
    assert ids(response) == [first.pk, second.pk]
    reached = response.json()["items"][1]
    assert (reached["status"], reached["notes"]) == (GoalStatus.ACHIEVED.value, 1)
    assert "Private words" not in response.content.decode()
    assert "swimming" not in response.content.decode()


def test_a_match_of_a_program_without_goals_has_none(client, coordinator_a, match_a):
    GoalFactory(match=match_a)  # left from when the program set goals
    client.force_login(coordinator_a)

    response = client.get(goals_url(match_a))

    assert response.status_code == 200
    assert response.json()["items"] == []


def test_the_goals_page_by_cursor_and_refuse_a_bad_ordering(client, coordinator_a, goal_based):
    today = timezone.localdate()
    made = [
        GoalFactory(match=goal_based, agreed_on=today - dt.timedelta(days=day)) for day in (3, 2, 1)
    ]
    client.force_login(coordinator_a)

    first = client.get(goals_url(goal_based), {"limit": 2})
    second = client.get(goals_url(goal_based), {"limit": 2, "cursor": first.json()["next_cursor"]})

    assert ids(first) + ids(second) == [goal.pk for goal in made]
    assert second.json()["next_cursor"] is None
    assert client.get(goals_url(goal_based), {"ordering": "status"}).status_code == 422


def test_goals_are_refused_without_the_scope_and_404_to_another_program(
    client, program_a, program_b, coordinator_a, coordinator_of_both, goal_based
):
    GoalFactory(match=goal_based)
    no_scope = token_header(program_a, coordinator_a, Scope.READ_REQUESTS)
    other_program = token_header(program_b, coordinator_of_both, Scope.READ_MATCHES)

    assert client.get(goals_url(goal_based), **no_scope).status_code == 403
    assert client.get(goals_url(goal_based), **other_program).status_code == 404


@pytest.mark.parametrize("who", ["coordinator_b", "peer_user"])
def test_goals_are_404_to_people_whose_pages_do_not_show_the_match(
    client, request, goal_based, who
):
    GoalFactory(match=goal_based)
    client.force_login(request.getfixturevalue(who))

    assert client.get(goals_url(goal_based)).status_code == 404
