"""Every supporter as a list: filters, sorts (open matches among them) and search, scoped to
the coordinator's programs whatever the parameters, in a bounded number of queries."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from alongside.accounts.factories import UserFactory
from alongside.matches.factories import MatchFactory
from alongside.matches.models import MatchStatus
from alongside.matches.supporter_list import SUPPORTER_LIST
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Language
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus

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


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-name"},
        {"sort": "matches"},
        {"sort": "-joined", "status": "active"},
        {"sort": "site", "language": "fr"},
        {"sort": "program", "q": "a", "per_page": "100"},
    ],
)
def test_every_sort_and_filter_of_the_supporter_list_takes_a_handful_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries, params
):
    site = SiteFactory(program=program_a, name="North")
    for number in range(15):
        MatchFactory(program=program_a, supporter=supporter(program_a, f"Al{number}", site=site))
    client.force_login(coordinator_a)

    # The menu's, the programs and their sites, the count, the page's ids, then its rows.
    with django_assert_max_num_queries(9):
        response = client.get(SUPPORTERS, params | {"program": program_a.pk, "site": site.pk})

    assert response.status_code == 200
