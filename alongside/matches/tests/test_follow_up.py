"""The follow-up queue as four lists, each behind its tab: it opens on the first with something
to chase, each filters, sorts, searches and pages, only ever the coordinator's own programs'
rows, in a number of queries that does not grow with the rows."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.intake.factories import PeerFactory, SupportRequestFactory
from alongside.matches.factories import (
    CheckInFactory,
    ContactLogFactory,
    HoursReportFactory,
    MatchFactory,
)
from alongside.matches.follow_up import (
    CHECKINS_DUE,
    FOLLOW_UPS_DUE,
    MISSING_HOURS_REPORTS,
    SILENT_MATCHES,
)
from alongside.matches.models import CheckInKind, MatchStatus, NoContactAlert, NoContactStage
from alongside.programs.factories import SiteFactory
from alongside.programs.models import Language
from alongside.supporters.factories import SupporterFactory

HOURS = reverse("matches:follow_up_hours")
SILENT = reverse("matches:follow_up_silent")
CHECKINS = reverse("matches:follow_up_checkins")
ASKED = reverse("matches:follow_up_asked")
QUEUE = reverse("matches:follow_up")


def rows(definition, user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(definition.rows(user, query))


def match_of(program, *, peer="Pat", last_name="Roy", supporter="Sam", **request_fields):
    return MatchFactory(
        program=program,
        request=SupportRequestFactory(
            program=program,
            status="matched",
            peer=PeerFactory(program=program, first_name=peer, last_name=last_name),
            **request_fields,
        ),
        supporter=SupporterFactory(
            program=program, user=UserFactory(first_name=supporter, preferred_name="")
        ),
    )


def silent(match, *, days=21):
    return NoContactAlert.objects.create(
        match=match,
        silent_since=timezone.now() - dt.timedelta(days=days),
        stage=NoContactStage.ESCALATED,
        created_at=timezone.now(),
    )


def due_checkin(match, *, days_ago=0, **fields):
    return CheckInFactory(
        match=match, due_on=timezone.localdate() - dt.timedelta(days=days_ago), **fields
    )


def asked_follow_up(match, *, days_ago=0):
    return ContactLogFactory(
        match=match, follow_up_on=timezone.localdate() - dt.timedelta(days=days_ago)
    )


def report_of(program, *, supporter="Sam", months_ago=1, **supporter_fields):
    first = timezone.localdate().replace(day=1)
    for _ in range(months_ago):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return HoursReportFactory(
        supporter=SupporterFactory(
            program=program,
            user=UserFactory(first_name=supporter, preferred_name=""),
            **supporter_fields,
        ),
        month=first,
    )


def one_of_each(program) -> None:
    match = match_of(program)
    silent(match)
    due_checkin(match)
    asked_follow_up(match)
    HoursReportFactory(supporter=match.supporter)


# ---- the queue's address ---------------------------------------------------------------------


def test_the_queue_opens_on_the_first_list_with_something_to_chase(
    client, coordinator_a, program_a
):
    due_checkin(match_of(program_a))
    client.force_login(coordinator_a)

    assert client.get(QUEUE).url == CHECKINS


def test_the_dashboards_link_keeps_its_program(client, coordinator_a, program_a, program_b):
    due_checkin(match_of(program_a))
    client.force_login(coordinator_a)

    assert client.get(QUEUE, {"program": program_a.pk}).url == f"{CHECKINS}?program={program_a.pk}"
    # Another program's id is not a choice, nor is nonsense: they are left out.
    for nonsense in (program_b.pk, "²", "9" * 30, "x"):
        assert client.get(QUEUE, {"program": nonsense}).url == CHECKINS


def test_with_nothing_to_chase_the_queue_says_so(client, coordinator_a):
    client.force_login(coordinator_a)

    response = client.get(QUEUE, follow=True)

    assert response.redirect_chain == [(HOURS, 302)]
    assert "Nothing to follow up. Well done." in response.text
    assert "Every report is in." in response.text


def test_each_tab_counts_its_list_in_the_program_chosen_and_keeps_it(
    client, coordinator_a, program_a, program_b
):
    due_checkin(match_of(program_a))
    due_checkin(match_of(program_a))
    asked_follow_up(match_of(program_b))
    client.force_login(coordinator_a)

    response = client.get(SILENT, {"program": program_a.pk})

    tabs = response.context["tabs"]
    assert [tab.count for tab in tabs] == [0, 0, 2, 0]
    assert [tab.current for tab in tabs] == [False, True, False, False]
    assert tabs[2].href == f"{CHECKINS}?program={program_a.pk}"
    assert 'aria-current="page"' in response.text


# ---- access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("address", [QUEUE, HOURS, SILENT, CHECKINS, ASKED])
def test_a_supporter_is_refused_and_a_visitor_sent_to_sign_in(client, supporter_a, address):
    assert client.get(address).status_code == 302
    assert "/accounts/login/" in client.get(address).url

    client.force_login(supporter_a.user)
    assert client.get(address).status_code == 403


@pytest.mark.parametrize("address", [HOURS, SILENT, CHECKINS, ASKED])
def test_a_coordinator_never_sees_another_programs_rows_whatever_the_parameters(
    client, coordinator_a, program_a, program_b, address
):
    one_of_each(program_a)
    one_of_each(program_b)
    client.force_login(coordinator_a)

    for params in ({}, {"program": program_b.pk}, {"sort": "-program"}):
        shown = client.get(address, params).context["list"].page.object_list
        assert len(shown) == 1
        assert {row.program if hasattr(row, "program") else row.match.program for row in shown} == {
            program_a
        }


# ---- each list's filters, sorts and search -----------------------------------------------


def test_the_hours_reports_filter_by_month_site_and_who_and_search_the_supporter(
    coordinator_a, program_a
):
    north = SiteFactory(program=program_a, name="North")
    latest = report_of(program_a, supporter="Alma", site=north)
    older = report_of(program_a, supporter="Robin", months_ago=3, is_paid=True)

    assert rows(MISSING_HOURS_REPORTS, coordinator_a) == [older, latest]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, month="last") == [latest]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, month="earlier") == [older]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, site=str(north.pk)) == [latest]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, paid="paid") == [older]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, paid="volunteer") == [latest]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, q="rob") == [older]
    assert rows(MISSING_HOURS_REPORTS, coordinator_a, sort="supporter") == [latest, older]


def test_a_confirmed_report_leaves_the_list(coordinator_a, program_a):
    report = report_of(program_a)
    report.confirmed_at = timezone.now()
    report.save()

    assert rows(MISSING_HOURS_REPORTS, coordinator_a) == []


def test_the_silent_matches_find_a_peer_by_their_encrypted_last_name_and_sort_by_silence(
    coordinator_a, program_a
):
    long_ago = silent(match_of(program_a, peer="Jo", last_name="Gagnon-Tremblay"), days=40)
    lately = silent(match_of(program_a, peer="Kim", supporter="Alma"), days=21)
    # Nudged only, or on a closed match: not the coordinator's to chase yet, or any more.
    nudged = silent(match_of(program_a))
    nudged.stage = NoContactStage.NUDGED
    nudged.save()
    silent(_closed(program_a))

    assert rows(SILENT_MATCHES, coordinator_a) == [long_ago, lately]
    assert rows(SILENT_MATCHES, coordinator_a, sort="-since") == [lately, long_ago]
    assert rows(SILENT_MATCHES, coordinator_a, q="tremblay") == [long_ago]
    assert rows(SILENT_MATCHES, coordinator_a, q="alm") == [lately]
    assert rows(SILENT_MATCHES, coordinator_a, sort="supporter") == [lately, long_ago]


def _closed(program):
    match = match_of(program)
    match.status = MatchStatus.CLOSED
    match.save()
    return match


def test_the_checkins_due_filter_by_kind_the_persons_site_and_language(coordinator_a, program_a):
    north = SiteFactory(program=program_a, name="North")
    month = due_checkin(match_of(program_a, site=north), days_ago=3)
    closing = due_checkin(
        match_of(program_a, language=Language.FRENCH), kind=CheckInKind.CLOSURE, month=None
    )
    due_checkin(match_of(program_a), days_ago=-1)  # due tomorrow: not yet

    assert rows(CHECKINS_DUE, coordinator_a) == [month, closing]
    assert rows(CHECKINS_DUE, coordinator_a, kind="closure") == [closing]
    assert rows(CHECKINS_DUE, coordinator_a, site=str(north.pk)) == [month]
    assert rows(CHECKINS_DUE, coordinator_a, language="fr") == [closing]
    assert rows(CHECKINS_DUE, coordinator_a, sort="checkin") == [month, closing]


def test_the_follow_ups_due_are_those_of_the_last_two_weeks_and_sort_by_either_date(
    coordinator_a, program_a
):
    today = asked_follow_up(match_of(program_a, peer="Al"))
    last_week = asked_follow_up(match_of(program_a, peer="Bo"), days_ago=7)
    asked_follow_up(match_of(program_a), days_ago=15)  # too long ago
    asked_follow_up(match_of(program_a), days_ago=-2)  # not yet

    assert rows(FOLLOW_UPS_DUE, coordinator_a) == [last_week, today]
    assert rows(FOLLOW_UPS_DUE, coordinator_a, sort="-due") == [today, last_week]
    assert rows(FOLLOW_UPS_DUE, coordinator_a, q="bo") == [last_week]


def test_a_list_pages_at_the_size_chosen_and_keeps_its_filters(client, coordinator_a, program_a):
    for _ in range(30):
        due_checkin(match_of(program_a))
    client.force_login(coordinator_a)

    response = client.get(
        CHECKINS, {"per_page": "25", "page": "2", "kind": "milestone", "program": program_a.pk}
    )

    assert len(response.context["list"].page.object_list) == 5
    assert response.context["list"].count_text == "30 check-ins due"
    assert "kind=milestone" in response.text


def test_the_rows_link_to_what_to_follow_up(client, coordinator_a, program_a):
    match = match_of(program_a, peer="Jordan")
    checkin = due_checkin(match)
    silent(match)
    report = HoursReportFactory(supporter=match.supporter)
    client.force_login(coordinator_a)

    assert reverse("matches:checkin", args=[checkin.pk]) in client.get(CHECKINS).text
    assert f"Jordan · #{match.pk}" in client.get(SILENT).text
    assert reverse("matches:hours_report", args=[report.pk]) in client.get(HOURS).text


def test_an_update_in_place_counts_the_tabs_again(client, coordinator_a, program_a):
    due_checkin(match_of(program_a))
    client.force_login(coordinator_a)

    response = client.get(CHECKINS, {"program": program_a.pk}, headers={"HX-Request": "true"})

    assert response.text.lstrip().startswith('<nav id="list-tabs"')
    assert 'hx-swap-oob="true"' in response.text
    assert "<h1>" not in response.text


# ---- bounded ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "params"),
    [
        (HOURS, {"sort": "supporter", "q": "s"}),
        (SILENT, {"sort": "-supporter", "language": "en"}),
        (CHECKINS, {"sort": "supporter", "kind": "milestone"}),
        (ASKED, {"sort": "program", "q": "pat"}),
    ],
)
def test_each_list_takes_as_many_queries_for_thirty_rows_as_for_one(
    client, coordinator_a, program_a, django_assert_max_num_queries, address, params
):
    site = SiteFactory(program=program_a, name="North")
    one_of_each(program_a)
    client.force_login(coordinator_a)
    params |= {"program": program_a.pk, "per_page": "50"}
    with django_assert_max_num_queries(14) as few:
        client.get(address, params)

    for _ in range(29):
        one_of_each(program_a)
    SupporterFactory(program=program_a, site=site)
    # The menu's, the programs and their sites, the list's count and page, a count a tab.
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(address, params)

    assert response.context["list"].count == 30
