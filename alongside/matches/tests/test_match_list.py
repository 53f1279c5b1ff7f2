"""The match list as a list: filters, sorts and search, scoped to what the user may see
whatever the parameters, in a bounded number of queries."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.matches.factories import ContactLogFactory, MatchFactory
from alongside.matches.lists import MATCH_LIST
from alongside.matches.models import MatchStatus
from alongside.programs.factories import SiteFactory
from alongside.supporters.factories import SupporterFactory

MATCHES = reverse("matches:list")


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(MATCH_LIST.rows(user, query))


def match_of(program, *, peer="Pat", supporter="Sam", days_ago=0, **fields):
    return MatchFactory(
        program=program,
        request=SupportRequestFactory(
            program=program,
            status="matched",
            peer=PeerFactory(program=program, first_name=peer),
            **{key: fields.pop(key) for key in ["site"] if key in fields},
        ),
        supporter=SupporterFactory(
            program=program, user=UserFactory(first_name=supporter, preferred_name="")
        ),
        started_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def test_the_match_list_filters_by_status_and_the_persons_site(coordinator_a, program_a):
    north = SiteFactory(program=program_a, name="North")
    at_north = match_of(program_a, site=north)
    closed = match_of(program_a, status=MatchStatus.CLOSED)

    assert rows(coordinator_a, site=str(north.pk)) == [at_north]
    assert rows(coordinator_a, status="closed") == [closed]


def test_another_programs_id_in_the_filter_shows_only_ones_own_matches(
    coordinator_a, program_a, program_b
):
    mine = match_of(program_a)
    match_of(program_b)

    assert rows(coordinator_a, program=str(program_b.pk)) == [mine]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-start", ["Bo", "Al", "Cy"]),
        ("start", ["Cy", "Al", "Bo"]),
        ("-supporter", ["Al", "Bo", "Cy"]),
        ("last_contact", ["Bo", "Cy", "Al"]),
        ("-last_contact", ["Cy", "Bo", "Al"]),
    ],
)
def test_the_match_list_sorts_by_a_column_either_way(coordinator_a, program_a, sort, expected):
    al = match_of(program_a, peer="Al", supporter="Zed", days_ago=5)
    bo = match_of(program_a, peer="Bo", supporter="Yan", days_ago=1)
    cy = match_of(program_a, peer="Cy", supporter="Xia", days_ago=9)
    now = timezone.now()
    ContactLogFactory(match=bo, occurred_at=now - dt.timedelta(days=3))
    ContactLogFactory(match=cy, occurred_at=now - dt.timedelta(days=2))
    ContactLogFactory(match=cy, occurred_at=now - dt.timedelta(days=8))
    assert al.contacts.count() == 0  # never contacted: last, whichever way

    assert [row.request.peer.first_name for row in rows(coordinator_a, sort=sort)] == expected


def test_the_page_shows_its_rows_in_the_order_sorted(client, coordinator_a, program_a):
    for name, days_ago in (("Bo", 3), ("Cy", 1), ("Al", 2)):
        match_of(program_a, peer=name, days_ago=days_ago)
    client.force_login(coordinator_a)

    response = client.get(MATCHES, {"sort": "start", "per_page": "25"})

    names = [match.request.peer.first_name for match in response.context["matches"]]
    assert names == ["Bo", "Al", "Cy"]


def test_the_persons_encrypted_name_does_not_sort_the_list(client, coordinator_a, program_a):
    for name, days_ago in (("Bo", 3), ("Cy", 1), ("Al", 2)):
        match_of(program_a, peer=name, days_ago=days_ago)
    client.force_login(coordinator_a)

    response = client.get(MATCHES, {"sort": "-peer", "per_page": "25"})

    names = [match.request.peer.first_name for match in response.context["matches"]]
    assert names == ["Cy", "Al", "Bo"]  # the latest started first, as by default
    assert "This list cannot be sorted that way" in response.text


def test_the_search_finds_the_peer_or_the_supporter(coordinator_a, program_a):
    by_peer = match_of(program_a, peer="Alexis", supporter="Sam")
    by_supporter = match_of(program_a, peer="Jo", supporter="Alma")
    match_of(program_a, peer="Kim", supporter="Lee")

    assert set(rows(coordinator_a, q="al")) == {by_supporter}  # the start of a supporter's name
    assert set(rows(coordinator_a, q="alexis")) == {by_peer}  # a whole word of the person's
    assert set(rows(coordinator_a, q="alma")) == {by_supporter}


def test_the_hours_column_exports_hours_from_the_contacts_made(coordinator_a, program_a):
    match = match_of(program_a)
    ContactLogFactory(match=match, minutes=45)
    ContactLogFactory(match=match, minutes=30, was_made=False)
    hours = MATCH_LIST.column("hours")

    assert str(hours.value(rows(coordinator_a)[0])) == "0.8"


def test_a_supporter_filters_only_their_own_matches(client, match_a, program_a, ms):
    MatchFactory(program=program_a, request__experience=ms)
    client.force_login(match_a.supporter.user)

    response = client.get(MATCHES, {"program": program_a.pk, "sort": "-peer"})

    assert list(response.context["matches"]) == [match_a]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-supporter"},
        {"sort": "last_contact"},
        {"sort": "-start", "status": "active"},
        {"q": "a", "per_page": "25"},
    ],
)
def test_every_sort_and_filter_of_the_match_list_takes_a_handful_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries, params
):
    site = SiteFactory(program=program_a, name="North")
    for _ in range(12):
        ContactLogFactory(match=match_of(program_a, site=site))
    client.force_login(coordinator_a)

    # The menu's, the programs and their sites, the count, the page's ids, then its rows.
    with django_assert_max_num_queries(9):
        response = client.get(MATCHES, params | {"program": program_a.pk, "site": site.pk})

    assert response.status_code == 200
