"""The group sessions as two lists behind their tabs, coming up (soonest first) and gone by
(latest first, every one of them, a page at a time): filtered, sorted, searched and paged, only
the coordinator's own programs' sessions, in a number of queries that does not grow."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.lists import PAST_SESSIONS, UPCOMING_SESSIONS
from alongside.groups.models import AttendanceStatus, SessionKind

COMING_UP = reverse("groups:list")
PAST = reverse("groups:past")


def rows(definition, user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return [session.title for session in definition.rows(user, query)]


def session_in(program, title, *, days, **fields):
    return GroupSessionFactory(
        program=program,
        title=title,
        starts_at=timezone.now() + dt.timedelta(days=days),
        **fields,
    )


def test_sessions_coming_up_are_soonest_first_and_past_ones_latest_first(coordinator_a, program_a):
    session_in(program_a, "Next month", days=30)
    session_in(program_a, "Next week", days=7)
    session_in(program_a, "Last week", days=-7)
    session_in(program_a, "Last year", days=-365)

    assert rows(UPCOMING_SESSIONS, coordinator_a) == ["Next week", "Next month"]
    assert rows(PAST_SESSIONS, coordinator_a) == ["Last week", "Last year"]


def test_sessions_filter_by_kind_and_status_and_search_by_title(coordinator_a, program_a):
    session_in(program_a, "Spring workshop", days=3, kind=SessionKind.WORKSHOP)
    session_in(program_a, "Peer circle", days=4, kind=SessionKind.PEER_GROUP)
    session_in(
        program_a,
        "Called-off circle",
        days=5,
        kind=SessionKind.PEER_GROUP,
        cancelled_at=timezone.now(),
        cancellation_reason="The room flooded.",
    )

    assert rows(UPCOMING_SESSIONS, coordinator_a, kind="workshop") == ["Spring workshop"]
    assert rows(UPCOMING_SESSIONS, coordinator_a, status="cancelled") == ["Called-off circle"]
    assert rows(UPCOMING_SESSIONS, coordinator_a, status="going_ahead", q="circle") == [
        "Peer circle"
    ]


def test_sessions_sort_by_their_title_kind_and_counts(coordinator_a, program_a):
    busy = session_in(program_a, "Busy", days=3, kind=SessionKind.WORKSHOP)
    for _ in range(2):
        AttendanceFactory(session=busy, status=AttendanceStatus.ATTENDING)
    session_in(program_a, "Quiet", days=2, kind=SessionKind.PEER_GROUP)

    assert rows(UPCOMING_SESSIONS, coordinator_a, sort="-title") == ["Quiet", "Busy"]
    assert rows(UPCOMING_SESSIONS, coordinator_a, sort="kind") == ["Quiet", "Busy"]
    assert rows(UPCOMING_SESSIONS, coordinator_a, sort="-coming") == ["Busy", "Quiet"]
    assert rows(UPCOMING_SESSIONS, coordinator_a, sort="invited") == ["Quiet", "Busy"]


def test_every_past_session_is_there_a_page_at_a_time(client, coordinator_a, program_a):
    for number in range(40):
        session_in(program_a, f"Meeting {number:02}", days=-1 - number)
    client.force_login(coordinator_a)

    response = client.get(PAST, {"per_page": "25", "page": "2"})

    assert [session.title for session in response.context["list"].page.object_list] == [
        f"Meeting {number}" for number in range(25, 40)
    ]
    assert response.context["list"].count_text == "40 sessions"


@pytest.mark.parametrize("address", [COMING_UP, PAST])
def test_a_coordinator_never_sees_another_programs_sessions(
    client, coordinator_a, program_a, program_b, address
):
    for program in (program_a, program_b):
        session_in(program, f"Coming in {program.name}", days=3)
        session_in(program, f"Gone in {program.name}", days=-3)
    client.force_login(coordinator_a)

    for params in ({}, {"program": program_b.pk}, {"q": "Program B"}):
        shown = client.get(address, params).context["list"].page.object_list
        assert {session.program for session in shown} <= {program_a}
        assert "Program B" not in "".join(session.title for session in shown)


@pytest.mark.parametrize("address", [COMING_UP, PAST])
def test_a_supporter_is_refused_and_a_visitor_sent_to_sign_in(client, supporter_a, address):
    assert "/accounts/login/" in client.get(address).url

    client.force_login(supporter_a.user)
    assert client.get(address).status_code == 403


def test_the_tabs_count_each_list_in_the_program_chosen(
    client, coordinator_a, program_a, program_b
):
    session_in(program_a, "Soon", days=3)
    session_in(program_a, "Gone", days=-3)
    session_in(program_a, "Long gone", days=-30)
    client.force_login(coordinator_a)

    response = client.get(COMING_UP, {"program": program_a.pk})

    assert [(tab.count, tab.current) for tab in response.context["tabs"]] == [
        (1, True),
        (2, False),
    ]
    assert response.context["tabs"][1].href == f"{PAST}?program={program_a.pk}"
    assert "Export CSV" in response.text


@pytest.mark.parametrize(
    ("address", "params"),
    [
        (COMING_UP, {}),
        (COMING_UP, {"sort": "-attended", "kind": "check_in"}),
        (PAST, {"sort": "program", "q": "meet", "status": "going_ahead"}),
    ],
)
def test_the_session_lists_take_as_many_queries_for_thirty_sessions_as_for_one(
    client, coordinator_a, program_a, django_assert_max_num_queries, address, params
):
    def one_each_way(number):
        for days in (3 + number, -3 - number):
            AttendanceFactory(session=session_in(program_a, f"Meeting {number}", days=days))

    one_each_way(0)
    client.force_login(coordinator_a)
    params |= {"program": program_a.pk}
    with django_assert_max_num_queries(12) as few:
        client.get(address, params)

    for number in range(1, 30):
        one_each_way(number)
    # The menu's, the programs, the list's count and page, and a count a tab.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address, params)

    assert response.context["list"].count == 30
