"""Supervision: sessions recorded by supervisors, the supervisee list, and who reads the notes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.matches.factories import ContactLogFactory, MatchFactory
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import DebriefRequest, SupervisionSession, SupporterStatus
from alongside.supporters.queries import (
    burnout_signals,
    burnout_signals_of,
    supervisees,
    supervision_dates,
)
from alongside.supporters.services.supervision import readable_notes, record_supervision
from alongside.supporters.services.wellbeing import record_wellbeing, request_debrief

pytestmark = pytest.mark.django_db


@pytest.fixture
def supervisor_a(program_a):
    return user_with_role(Role.SUPERVISOR, program_a, email="supervisor.a@example.org")


def today() -> dt.date:
    return timezone.localdate()


def a_session(supporter, supervisor, **changes) -> SupervisionSession:
    fields = {
        "held_on": today() - dt.timedelta(days=1),
        "minutes": 45,
        "format": "one_to_one",
        "notes": "Talked about boundaries with a demanding peer.",
        "follow_up_on": today() + dt.timedelta(days=28),
    } | changes
    return record_supervision(supporter=supporter, supervisor=supervisor, **fields)


# ---- recording ------------------------------------------------------------------------------


def test_a_supervisor_records_a_session_and_the_notes_are_kept_out_of_the_audit(
    supporter_a, supervisor_a
):
    session = a_session(supporter_a, supervisor_a)

    assert session.supervisor == supervisor_a
    event = AuditEvent.objects.get(action="supporters.supervision.recorded")
    assert event.data == {"session": session.pk, "debriefs_answered": 0}
    assert "boundaries" not in str(event.data)


def test_a_coordinator_may_record_supervision_too(supporter_a, coordinator_a):
    assert a_session(supporter_a, coordinator_a).supervisor == coordinator_a


@pytest.mark.parametrize("who", ["coordinator_b", "administrator", "other_supporter_a"])
def test_others_cannot_record_supervision(request, supporter_a, who):
    someone = request.getfixturevalue(who)
    user = someone.user if who == "other_supporter_a" else someone

    with pytest.raises(DomainError, match="Only the program's supervisors and coordinators"):
        a_session(supporter_a, user)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"held_on": dt.date(2999, 1, 1)}, "cannot be in the future"),
        ({"minutes": 2}, "from 5 to 480"),
        ({"minutes": 600}, "from 5 to 480"),
        ({"format": "by_pigeon"}, "one to one or in a group"),
        ({"follow_up_on": dt.date(2000, 1, 1)}, "follow-up cannot be before the session"),
    ],
)
def test_the_rules_of_a_session(supporter_a, supervisor_a, changes, message):
    with pytest.raises(DomainError, match=message):
        a_session(supporter_a, supervisor_a, **changes)

    assert not SupervisionSession.objects.exists()


def test_a_session_can_answer_the_open_debrief_requests(supporter_a, supervisor_a):
    request_debrief(supporter=supporter_a, note="A hard call", by=supporter_a.user)

    a_session(supporter_a, supervisor_a, answers_debriefs=True)

    debrief = DebriefRequest.objects.get()
    assert (debrief.answered_by, debrief.answered_at is not None) == (supervisor_a, True)


def test_the_notes_are_for_their_writer_and_the_coordinators(
    supporter_a, supervisor_a, coordinator_a, administrator, program_a
):
    other_supervisor = user_with_role(Role.SUPERVISOR, program_a)
    session = a_session(supporter_a, supervisor_a)

    assert readable_notes(supervisor_a, supporter_a, [session]) == {session.pk}
    assert readable_notes(coordinator_a, supporter_a, [session]) == {session.pk}
    assert readable_notes(other_supervisor, supporter_a, [session]) == set()
    assert readable_notes(administrator, supporter_a, [session]) == set()


# ---- reads ----------------------------------------------------------------------------------


def test_the_supporter_sees_their_last_and_next_supervision(supporter_a, supervisor_a):
    assert supervision_dates(supporter_a, today()).last is None
    a_session(supporter_a, supervisor_a)

    dates = supervision_dates(supporter_a, today())

    assert dates.last == today() - dt.timedelta(days=1)
    assert dates.next == today() + dt.timedelta(days=28)


def test_a_follow_up_date_gone_by_is_not_shown_as_next(supporter_a, supervisor_a):
    a_session(
        supporter_a,
        supervisor_a,
        held_on=today() - dt.timedelta(days=40),
        follow_up_on=today() - dt.timedelta(days=10),
    )

    assert supervision_dates(supporter_a, today()).next is None


def test_supervisees_are_the_programs_supporters_giving_support_with_what_waits(
    supporter_a, other_supporter_a, supervisor_a, program_b
):
    SupporterFactory(program=program_b)
    SupporterFactory(program=supporter_a.program, status=SupporterStatus.SCREENING)
    a_session(supporter_a, supervisor_a)
    request_debrief(supporter=other_supporter_a, note="", by=other_supporter_a.user)

    rows = {person.pk: person for person in supervisees(supervisor_a)}

    assert set(rows) == {supporter_a.pk, other_supporter_a.pk}
    assert rows[supporter_a.pk].last_session_on == today() - dt.timedelta(days=1)
    assert rows[supporter_a.pk].open_debriefs == 0
    assert rows[other_supporter_a.pk].open_debriefs == 1
    assert rows[other_supporter_a.pk].last_session_on is None


def test_burnout_signals_for_many_read_the_same_as_for_one(supporter_a, other_supporter_a):
    supporter_a.expected_hours_per_month = 1
    supporter_a.save()
    match = MatchFactory(program=supporter_a.program, supporter=supporter_a)
    for _ in range(3):
        ContactLogFactory(match=match, minutes=40, needs_coordinator=True)
    for score in (4, 3, 2):
        record_wellbeing(
            supporter=other_supporter_a, score=score, note="", by=other_supporter_a.user
        )

    many = burnout_signals_of([supporter_a, other_supporter_a], today())

    assert many[supporter_a.pk] == burnout_signals(supporter_a, today())
    assert many[other_supporter_a.pk] == burnout_signals(other_supporter_a, today())
    assert len(many[supporter_a.pk]) == 2
    assert many[other_supporter_a.pk] == ["wellbeing scores are falling (4, 3, 2)"]


# ---- the pages ------------------------------------------------------------------------------


def test_the_supervisees_page_lists_each_with_strain_and_debriefs_in_few_queries(
    client, supervisor_a, supporter_a, program_a
):
    for _ in range(6):
        person = SupporterFactory(program=program_a)
        record_wellbeing(supporter=person, score=1, note="", by=person.user)
        request_debrief(supporter=person, note="", by=person.user)
    client.force_login(supervisor_a)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("supporters:supervisees"))

    assert response.status_code == 200
    assert response.text.count("Said they are struggling (1 out of 5)") == 6
    assert len(queries) <= 12


def test_a_supervisor_records_a_session_from_the_page(client, supervisor_a, supporter_a):
    client.force_login(supervisor_a)
    url = reverse("supporters:supervision", args=[supporter_a.pk])

    response = client.post(
        url,
        {
            "session-held_on": today().isoformat(),
            "session-minutes": "50",
            "session-format": "group",
            "session-notes": "Group check-in, all well.",
            "session-follow_up_on": "",
        },
        follow=True,
    )

    assert "Supervision session recorded." in response.text
    assert "Group check-in, all well." in response.text
    assert SupervisionSession.objects.get().format == "group"
    assert AuditEvent.objects.filter(action="supporters.supervision.notes_viewed").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"session-minutes": "two"}, "Enter a whole number."),
        ({"session-minutes": "1"}, "greater than or equal to 5"),
        ({"session-held_on": "2999-01-01"}, "Please give a day that has already come."),
        ({"session-follow_up_on": "2000-01-01"}, "The follow-up cannot be before the session."),
    ],
)
def test_bad_answers_come_back_with_a_clear_message(
    client, supervisor_a, supporter_a, changes, message
):
    client.force_login(supervisor_a)

    response = client.post(
        reverse("supporters:supervision", args=[supporter_a.pk]),
        {
            "session-held_on": today().isoformat(),
            "session-minutes": "50",
            "session-format": "one_to_one",
        }
        | changes,
    )

    assert response.status_code == 200
    assert message in response.text
    assert not SupervisionSession.objects.exists()


def test_a_supervisor_of_another_program_finds_nothing(client, supporter_a, program_b):
    outsider = user_with_role(Role.SUPERVISOR, program_b, first_name="Ola")
    client.force_login(outsider)

    assert client.get(reverse("supporters:supervision", args=[supporter_a.pk])).status_code == 404
    assert supporter_a.display_name not in client.get(reverse("supporters:supervisees")).text


def test_the_supporter_page_shows_sessions_with_notes_to_coordinators_only(
    client, supervisor_a, coordinator_a, administrator, supporter_a
):
    a_session(supporter_a, supervisor_a)
    url = reverse("supporters:detail", args=[supporter_a.pk])

    client.force_login(coordinator_a)
    for_coordinator = client.get(url).text
    client.force_login(administrator)
    for_administrator = client.get(url).text

    assert "Talked about boundaries" in for_coordinator
    assert "Talked about boundaries" not in for_administrator
    assert "45 minutes" in for_administrator
    reads = AuditEvent.objects.filter(action="supporters.supervision.notes_viewed")
    assert [event.actor for event in reads] == [coordinator_a]


def test_the_portal_shows_supervision_dates_and_never_the_notes(client, supporter_a, supervisor_a):
    a_session(supporter_a, supervisor_a)
    client.force_login(supporter_a.user)

    response = client.get(reverse("my_page"))

    assert "Last session:" in response.text
    assert "Next, by" in response.text
    assert "Talked about boundaries" not in response.text


def test_the_menu_offers_supervision_to_supervisors_and_not_to_supporters(
    client, supervisor_a, supporter_a
):
    client.force_login(supervisor_a)
    as_supervisor = client.get(reverse("supporters:supervisees")).text
    client.force_login(supporter_a.user)
    as_supporter = client.get(reverse("my_page")).text

    link = f'href="{reverse("supporters:supervisees")}"'
    assert link in as_supervisor
    assert link not in as_supporter
