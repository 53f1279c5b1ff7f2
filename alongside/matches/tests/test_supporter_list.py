"""Every supporter as a list: filters, sorts (open matches among them) and search, scoped to
the coordinator's programs whatever the parameters, in a bounded number of queries."""

import datetime as dt

import pytest
import time_machine
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.matches.factories import MatchFactory
from alongside.matches.models import MatchStatus
from alongside.matches.supporter_list import SUPPORTER_LIST
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Language, PipelineStep, StepKind
from alongside.supporters import steps
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus
from alongside.supporters.services.pipeline import create_default_pipeline

SUPPORTERS = reverse("matches:supporters")


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(SUPPORTER_LIST.rows(user, query))


def supporter(program, name: str, **fields):
    return SupporterFactory(
        program=program, user=UserFactory(first_name=name, preferred_name=""), **fields
    )


def test_the_supporter_list_filters_by_status_site_and_language_spoken(coordinator_a, program_a):
    north = SiteFactory(program=program_a, name="North")
    at_north = supporter(program_a, "Ana", site=north)
    on_break = supporter(program_a, "Bo", status=SupporterStatus.ON_BREAK)
    in_french = supporter(program_a, "Cy", languages=[Language.ENGLISH, Language.FRENCH])

    assert rows(coordinator_a, site=str(north.pk)) == [at_north]
    assert rows(coordinator_a, status="on_break") == [on_break]
    assert rows(coordinator_a, language="fr") == [in_french]


def test_another_programs_id_in_the_filter_shows_only_ones_own_supporters(
    coordinator_a, program_a, program_b
):
    mine = supporter(program_a, "Ana")
    supporter(program_b, "Bo")

    assert rows(coordinator_a, program=str(program_b.pk)) == [mine]
    assert rows(coordinator_a, q="bo") == []


def test_the_search_finds_a_supporter_by_the_start_of_their_first_name_or_their_whole_last_name(
    coordinator_a, program_a
):
    wong = supporter(program_a, "Lee", last_name="Wong-Tremblay")  # encrypted, on the supporter
    supporter(program_a, "Leo", last_name="Roy")

    assert rows(coordinator_a, q="tremblay") == [wong]
    assert rows(coordinator_a, q="lee wong") == [wong]
    assert rows(coordinator_a, q="tremb") == []


def test_the_supporter_list_sorts_by_open_matches_counting_only_open_ones(coordinator_a, program_a):
    busy = supporter(program_a, "Ana")
    free = supporter(program_a, "Bo")
    once = supporter(program_a, "Cy")
    MatchFactory(program=program_a, supporter=busy)
    MatchFactory(program=program_a, supporter=busy, status=MatchStatus.PAUSED)
    MatchFactory(program=program_a, supporter=once)
    MatchFactory(program=program_a, supporter=free, status=MatchStatus.CLOSED)

    assert rows(coordinator_a, sort="-matches") == [busy, once, free]
    assert [row.open_matches for row in rows(coordinator_a, sort="matches")] == [0, 1, 2]


@pytest.mark.parametrize(
    ("sort", "expected"), [("name", ["Ana", "Bo", "Cy"]), ("-name", ["Cy", "Bo", "Ana"])]
)
def test_the_supporter_list_sorts_by_the_name_it_shows(coordinator_a, program_a, sort, expected):
    supporter(program_a, "Bo")
    SupporterFactory(program=program_a, user=UserFactory(first_name="Zed", preferred_name="Cy"))
    supporter(program_a, "Ana")

    assert [row.display_name for row in rows(coordinator_a, sort=sort)] == expected


def test_a_supporter_cannot_open_the_list_and_a_coordinator_sees_it(
    client, coordinator_a, supporter_a
):
    client.force_login(supporter_a.user)
    assert client.get(SUPPORTERS).status_code == 403

    client.force_login(coordinator_a)
    response = client.get(SUPPORTERS)
    assert response.status_code == 200
    assert supporter_a.display_name in response.content.decode()


def on_their_way(program, name: str, days_ago: int, **fields):
    """A supporter in screening placed at their step `days_ago` days ago."""
    with time_machine.travel(timezone.now() - dt.timedelta(days=days_ago), tick=False):
        person = supporter(program, name, status=SupporterStatus.SCREENING, **fields)
        steps.place_again([person.pk])
    person.refresh_from_db()
    return person


def step(program, kind: StepKind) -> PipelineStep:
    return program.pipeline_steps.get(kind=kind)


@pytest.fixture
def pipeline_a(program_a):
    create_default_pipeline(program=program_a, created_by=None)
    return program_a


def test_the_supporter_list_filters_by_the_step_they_wait_at(pipeline_a, coordinator_a):
    waiting = on_their_way(pipeline_a, "Ana", 3)
    interviewed = on_their_way(pipeline_a, "Bo", 5)
    interviewed.current_step = step(pipeline_a, StepKind.INTERVIEW)
    interviewed.save()
    supporter(pipeline_a, "Cy")  # active: at no step

    first = step(pipeline_a, StepKind.SCREENING_CALL)
    assert rows(coordinator_a, step=str(first.pk)) == [waiting]
    assert rows(coordinator_a, step=str(interviewed.current_step_id)) == [interviewed]


def test_the_supporter_list_sorts_by_days_at_the_step_and_by_the_step(pipeline_a, coordinator_a):
    newest = on_their_way(pipeline_a, "Ana", 1)
    oldest = on_their_way(pipeline_a, "Bo", 20)
    middle = on_their_way(pipeline_a, "Cy", 7)
    middle.current_step = step(pipeline_a, StepKind.REFERENCES)
    middle.save()
    ready = supporter(pipeline_a, "Di")

    assert rows(coordinator_a, sort="waiting") == [newest, middle, oldest, ready]
    assert rows(coordinator_a, sort="-waiting") == [oldest, middle, newest, ready]
    assert [row.days_at_step for row in rows(coordinator_a, sort="-waiting")] == [20, 7, 1, None]
    assert rows(coordinator_a, sort="step")[:2] == [newest, oldest]  # the first step, by id
    assert rows(coordinator_a, sort="step")[2:] == [middle, ready]


def test_another_programs_step_is_not_a_choice_and_shows_only_ones_own(
    pipeline_a, program_b, coordinator_a
):
    create_default_pipeline(program=program_b, created_by=None)
    on_their_way(pipeline_a, "Ana", 2)
    theirs = on_their_way(program_b, "Bo", 2)

    page = SUPPORTER_LIST.read(coordinator_a, QueryDict(f"step={theirs.current_step_id}"))

    assert list(page.rows) == list(rows(coordinator_a))
    assert theirs not in page.rows
    assert "was not understood" in page.notices[0]


def test_the_list_shows_each_ones_step_and_days_there(client, pipeline_a, coordinator_a):
    on_their_way(pipeline_a, "Ana", 4)
    client.force_login(coordinator_a)

    page = client.get(SUPPORTERS, {"sort": "-waiting"}).content.decode()

    assert "Days at this step" in page
    assert "screening call" in page
    assert "4 days" in page


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-name"},
        {"sort": "matches"},
        {"sort": "-joined", "status": "active"},
        {"sort": "site", "language": "fr"},
        {"sort": "program", "q": "a", "per_page": "100"},
        {"sort": "step"},
        {"sort": "-step", "status": "screening"},
        {"sort": "waiting"},
        {"sort": "-waiting", "step": "first"},
    ],
)
def test_every_sort_and_filter_of_the_supporter_list_takes_a_handful_of_queries(
    client, coordinator_a, pipeline_a, django_assert_max_num_queries, params
):
    site = SiteFactory(program=pipeline_a, name="North")
    for number in range(15):
        MatchFactory(program=pipeline_a, supporter=supporter(pipeline_a, f"Al{number}", site=site))
        on_their_way(pipeline_a, f"Bo{number}", number, site=site)
    if params.get("step") == "first":
        params = params | {"step": step(pipeline_a, StepKind.SCREENING_CALL).pk}
    client.force_login(coordinator_a)

    # The menu's, the programs with their sites and steps, the count, the page's ids, then its
    # rows (with each one's step).
    with django_assert_max_num_queries(9):
        response = client.get(SUPPORTERS, params | {"program": pipeline_a.pk, "site": site.pk})

    assert response.status_code == 200
