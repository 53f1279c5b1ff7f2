"""The request queue as a list: its filters, sorts, search and page sizes, scoped to the
coordinator's programs whatever the parameters, in a bounded number of queries."""

import datetime as dt
import re

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import MembershipFactory
from alongside.accounts.models import Role
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.intake.lists import REQUEST_QUEUE
from alongside.intake.models import RequestStatus
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Language

QUEUE = reverse("intake:queue")


def due_in(program, hours: float, **fields):
    return SupportRequestFactory(
        program=program, due_at=timezone.now() + dt.timedelta(hours=hours), **fields
    )


def shown(client, **params) -> list:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return list(response.context["page"].object_list)


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(REQUEST_QUEUE.rows(user, query))


# ---- the rules of the filters ----------------------------------------------------------


def test_due_state_splits_the_waiting_requests_at_their_due_time_and_four_hours_before(
    coordinator_a, program_a
):
    overdue = due_in(program_a, -1)
    nearly_due = due_in(program_a, 3)
    on_time = due_in(program_a, 30)

    assert rows(coordinator_a, due="overdue") == [overdue]
    assert rows(coordinator_a, due="at_risk") == [nearly_due]
    assert rows(coordinator_a, due="on_time") == [on_time]
    assert rows(coordinator_a) == [overdue, nearly_due, on_time]


def test_the_queue_shows_requests_waiting_unless_another_status_is_chosen(coordinator_a, program_a):
    waiting = due_in(program_a, 5)
    matched = due_in(program_a, 5, status=RequestStatus.MATCHED)

    assert rows(coordinator_a) == [waiting]
    assert rows(coordinator_a, status="matched") == [matched]


def test_the_queue_filters_by_site_and_language(coordinator_a, program_a):
    north = SiteFactory(program=program_a, name="North")
    at_north = due_in(program_a, 5, site=north)
    in_french = due_in(program_a, 6, language=Language.FRENCH)

    assert rows(coordinator_a, site=str(north.pk)) == [at_north]
    assert rows(coordinator_a, language="fr") == [in_french]


def test_a_program_or_site_of_another_program_is_left_out_and_shows_only_ones_own(
    coordinator_a, program_a, program_b
):
    mine = due_in(program_a, 5)
    due_in(program_b, 5)
    their_site = SiteFactory(program=program_b, name="Theirs")
    due_in(program_b, 6, site=their_site)

    assert rows(coordinator_a, program=str(program_b.pk)) == [mine]
    assert rows(coordinator_a, site=str(their_site.pk)) == [mine]


def test_the_search_finds_whole_words_of_the_encrypted_first_and_last_names(
    coordinator_a, program_a
):
    alexis = due_in(
        program_a, 5, peer=PeerFactory(program=program_a, first_name="Alexis", last_name="Roy")
    )
    jordan = due_in(
        program_a,
        6,
        peer=PeerFactory(program=program_a, first_name="Jordan", last_name="Gagnon-Tremblay"),
    )

    assert rows(coordinator_a, q="ALEXIS") == [alexis]
    assert rows(coordinator_a, q="tremblay") == [jordan]
    assert rows(coordinator_a, q="jordan gagnon") == [jordan]
    assert rows(coordinator_a, q="Trem") == []
    assert rows(coordinator_a, q="Ale") == []  # a first name is encrypted too: whole words


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("due", ["Bea", "Cy", "Ada"]),
        ("-due", ["Ada", "Cy", "Bea"]),
        ("waiting", ["Cy", "Ada", "Bea"]),
    ],
)
def test_the_queue_sorts_by_a_column_either_way(coordinator_a, program_a, sort, expected):
    now = timezone.now()
    for name, due_hours, received_hours in (("Ada", 30, -2), ("Bea", 1, -1), ("Cy", 5, -9)):
        due_in(
            program_a,
            due_hours,
            peer=PeerFactory(program=program_a, first_name=name),
            received_at=now + dt.timedelta(hours=received_hours),
        )

    assert [row.peer.first_name for row in rows(coordinator_a, sort=sort)] == expected


def test_the_queue_cannot_be_sorted_by_the_encrypted_name_and_says_so(
    client, coordinator_a, program_a
):
    due_in(program_a, 5)
    client.force_login(coordinator_a)

    page = client.get(QUEUE, {"sort": "name"}).content.decode()

    assert "This list cannot be sorted that way; it is sorted by “Contact due by”." in page
    assert not re.search(r'href="\?[^"]*sort=-?name', page)  # its heading does not sort


def test_the_queue_sorts_by_program_name(coordinator_a, program_a, program_b):
    MembershipFactory(user=coordinator_a, program=program_b, role=Role.COORDINATOR)
    in_b = due_in(program_b, 1)
    in_a = due_in(program_a, 2)
    first, second = sorted([(program_a.name, in_a), (program_b.name, in_b)])

    assert rows(coordinator_a, sort="program") == [first[1], second[1]]
    assert rows(coordinator_a, sort="-program") == [second[1], first[1]]


# ---- the page ----------------------------------------------------------------------------


def test_bad_parameters_are_left_out_with_a_plain_message(client, coordinator_a, program_a):
    waiting = due_in(program_a, 5)
    client.force_login(coordinator_a)

    response = client.get(
        QUEUE,
        {"sort": "about", "per_page": "7", "due": "soon", "program": "x", "page": "zz"},
    )

    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [waiting]
    page = response.content.decode()
    assert "This list cannot be sorted that way" in page
    assert "A page shows 25, 50 or 100 rows" in page
    assert "The filter “Due” was not understood" in page
    assert "The filter “Program” was not understood" in page


def test_the_headers_sort_by_their_column_and_say_how_the_list_is_sorted(
    client, coordinator_a, program_a
):
    due_in(program_a, 5)
    client.force_login(coordinator_a)

    page = client.get(QUEUE, {"due": "on_time", "sort": "waiting", "page": "1"}).content.decode()

    assert 'aria-sort="ascending"' in page
    # Sorting again by the wait turns it round, keeping the filter, back on the first page.
    assert 'href="?due=on_time&amp;sort=-waiting"' in page
    assert 'href="?due=on_time&amp;sort=due"' in page


def test_a_filter_applied_is_shown_with_a_link_that_removes_it(client, coordinator_a, program_a):
    due_in(program_a, -1)
    client.force_login(coordinator_a)

    page = client.get(QUEUE, {"due": "overdue", "q": "a"}).content.decode()

    assert "Due : Overdue" in page
    assert 'href="?q=a"' in page


def test_the_page_size_can_be_chosen(client, coordinator_a, program_a):
    for hours in range(30):
        due_in(program_a, hours)
    client.force_login(coordinator_a)

    assert len(shown(client, per_page="25")) == 25
    assert len(shown(client)) == 30


def test_an_htmx_update_gets_only_the_lists_region_and_the_new_count(
    client, coordinator_a, program_a
):
    due_in(program_a, -1)
    client.force_login(coordinator_a)

    response = client.get(QUEUE, {"due": "overdue"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="list-region"')
    assert 'hx-swap-oob="innerHTML:#list-count">1 request<' in page
    assert "HX-Request" in response["Vary"]


def test_going_back_to_a_list_htmx_lost_gets_the_whole_page(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.get(
        QUEUE, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )

    assert "<html" in response.content.decode()


def test_a_supporter_and_a_visitor_cannot_open_the_queue(client, supporter_a):
    assert client.get(QUEUE).status_code == 302
    client.force_login(supporter_a.user)
    assert client.get(QUEUE).status_code in (403, 404)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "-program"},
        {"sort": "waiting"},
        {"sort": "-due"},
        {"due": "overdue"},
        {"due": "at_risk", "status": "matched"},
        {"language": "fr", "q": "a"},
        {"per_page": "100", "page": "2"},
    ],
)
def test_every_sort_and_filter_of_the_queue_takes_a_handful_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries, params
):
    site = SiteFactory(program=program_a, name="North")
    for hours in range(-5, 25):
        due_in(program_a, hours, site=site)
    client.force_login(coordinator_a)

    # The menu's, the programs and their sites to choose from, the count and the rows.
    with django_assert_max_num_queries(10):
        response = client.get(QUEUE, params | {"program": program_a.pk, "site": site.pk})

    assert response.status_code == 200
