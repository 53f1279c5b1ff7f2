"""The coordinator's session pages and the supporter's answers: access, happy paths, bad input."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.notifications.models import OutboxMessage

TORONTO = zoneinfo.ZoneInfo("America/Toronto")


def form_data(program, **overrides: object) -> dict[str, object]:
    day = timezone.now().astimezone(TORONTO).date() + dt.timedelta(days=10)
    return {
        "program": program.pk,
        "kind": SessionKind.CHECK_IN,
        "title": "Evening check-in",
        "date": day.isoformat(),
        "time": "18:30",
        "length_minutes": "90",
        "place": "",
        "video_link": "https://meet.example.org/evening",
        "capacity": "",
        "notes": "",
    } | overrides


@pytest.fixture
def session_a(program_a):
    return GroupSessionFactory(program=program_a, title="Spring check-in")


def test_a_coordinator_schedules_a_session_on_the_programs_clock(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("groups:schedule"), form_data(program_a))

    session = GroupSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("groups:detail", args=[session.pk])
    local = session.starts_at.astimezone(TORONTO)
    assert (local.hour, local.minute) == (18, 30)
    assert session.length_minutes == 90
    page = client.get(response["Location"]).content.decode()
    assert "Evening check-in" in page
    assert "18:30" in page


def test_a_time_in_the_past_is_explained_next_to_the_date(client, program_a, coordinator_a):
    client.force_login(coordinator_a)
    yesterday = (timezone.now().astimezone(TORONTO) - dt.timedelta(days=1)).date()

    response = client.post(
        reverse("groups:schedule"), form_data(program_a, date=yesterday.isoformat())
    )

    assert response.status_code == 200
    assert "This time has already passed. Choose a later one." in response.content.decode()
    assert not GroupSession.objects.exists()


def test_a_session_without_a_place_or_link_is_explained(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("groups:schedule"), form_data(program_a, video_link=""))

    assert response.status_code == 200
    assert "Give a place, a video call link, or both." in response.content.decode()


def test_nonsense_in_every_field_gets_messages_not_an_error(client, program_a, coordinator_a):
    client.force_login(coordinator_a)

    response = client.post(
        reverse("groups:schedule"),
        {
            "program": "999",
            "kind": "party",
            "date": "tomorrow",
            "time": "25:99",
            "length_minutes": "-4",
            "video_link": "not a link",
            "capacity": "lots",
        },
    )

    assert response.status_code == 200
    assert "Please check these answers" in response.content.decode()
    assert not GroupSession.objects.exists()


def test_another_programs_coordinator_cannot_schedule_in_program_a(
    client, program_a, coordinator_b
):
    client.force_login(coordinator_b)

    response = client.post(reverse("groups:schedule"), form_data(program_a))

    assert response.status_code == 200
    assert not GroupSession.objects.exists()


def test_the_list_shows_only_the_coordinators_programs(client, session_a, program_b, coordinator_a):
    GroupSessionFactory(program=program_b, title="Program B meeting")
    client.force_login(coordinator_a)

    page = client.get(reverse("groups:list")).content.decode()

    assert "Spring check-in" in page
    assert "Program B meeting" not in page


def test_the_list_needs_a_fixed_number_of_queries(
    client, program_a, coordinator_a, django_assert_max_num_queries
):
    for number in range(5):
        session = GroupSessionFactory(program=program_a, title=f"Meeting {number}")
        AttendanceFactory(session=session)
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(12):
        client.get(reverse("groups:list"))


def test_a_coordinator_invites_every_active_supporter(
    client, session_a, coordinator_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)

    response = client.post(reverse("groups:invite", args=[session_a.pk]), {"who": "all"})

    assert response.status_code == 302
    assert session_a.attendances.count() == 2
    assert OutboxMessage.objects.count() == 2


def test_choosing_nobody_to_invite_is_explained(client, session_a, coordinator_a, supporter_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("groups:invite", args=[session_a.pk]), {"who": "chosen"})

    assert response.status_code == 200
    assert "Choose at least one supporter" in response.content.decode()


def test_a_coordinator_invites_one_chosen_supporter(
    client, session_a, coordinator_a, supporter_a, other_supporter_a
):
    client.force_login(coordinator_a)

    client.post(
        reverse("groups:invite", args=[session_a.pk]),
        {"who": "chosen", "supporters": [supporter_a.pk]},
    )

    assert list(session_a.attendances.values_list("supporter", flat=True)) == [supporter_a.pk]


def test_a_coordinator_cancels_with_a_reason(client, session_a, coordinator_a, supporter_a):
    AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(coordinator_a)

    empty = client.post(reverse("groups:cancel", args=[session_a.pk]), {"reason": ""})
    response = client.post(reverse("groups:cancel", args=[session_a.pk]), {"reason": "Snow."})

    assert empty.status_code == 200
    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.is_cancelled
    assert OutboxMessage.objects.get().recipient == supporter_a.user


def test_a_coordinator_changes_the_time(client, session_a, coordinator_a):
    client.force_login(coordinator_a)
    form_page = client.get(reverse("groups:edit", args=[session_a.pk]))
    assert form_page.status_code == 200

    response = client.post(
        reverse("groups:edit", args=[session_a.pk]),
        form_data(session_a.program, title="Spring check-in (moved)", time="19:00"),
    )

    assert response.status_code == 302
    session_a.refresh_from_db()
    assert session_a.title == "Spring check-in (moved)"
    assert session_a.starts_at.astimezone(TORONTO).hour == 19


def test_attendance_is_taken_after_the_session(client, session_a, coordinator_a, supporter_a):
    invitation = AttendanceFactory(session=session_a, supporter=supporter_a)
    page = reverse("groups:attendance", args=[session_a.pk])

    with time_machine.travel(session_a.ends_at, tick=False):
        client.force_login(coordinator_a)
        nothing = client.post(page, {})
        response = client.post(page, {f"attendance_{invitation.pk}": "came"})

    assert "at least one person" in nothing.content.decode()
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.ATTENDED


def test_taking_attendance_too_early_is_explained(client, session_a, coordinator_a, supporter_a):
    invitation = AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("groups:attendance", args=[session_a.pk]),
        {f"attendance_{invitation.pk}": "came"},
    )

    assert response.status_code == 200
    assert "once the session has started" in response.content.decode()


def test_the_supporter_sees_the_meeting_on_their_page_and_says_they_will_come(
    client, session_a, supporter_a
):
    invitation = AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(supporter_a.user)

    portal = client.get(reverse("my_page")).content.decode()
    response = client.post(reverse("groups:answer", args=[invitation.pk]), {"answer": "coming"})

    assert "Spring check-in" in portal
    assert "I will come" in portal
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.ATTENDING


def test_a_bad_answer_changes_nothing(client, session_a, supporter_a):
    invitation = AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(supporter_a.user)

    response = client.post(reverse("groups:answer", args=[invitation.pk]), {"answer": "maybe"})

    assert response.status_code == 302
    assert Attendance.objects.get().status == AttendanceStatus.INVITED


def test_a_supporter_cannot_answer_someone_elses_invitation(
    client, session_a, supporter_a, other_supporter_a
):
    invitation = AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(other_supporter_a.user)

    response = client.post(reverse("groups:answer", args=[invitation.pk]), {"answer": "coming"})

    assert response.status_code == 404


def test_an_invited_supporter_downloads_the_calendar_file(client, session_a, supporter_a):
    AttendanceFactory(session=session_a, supporter=supporter_a)
    client.force_login(supporter_a.user)

    response = client.get(reverse("groups:calendar", args=[session_a.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    assert b"SUMMARY:Spring check-in" in response.content


def test_a_supporter_not_invited_cannot_download_the_calendar_file(
    client, session_a, other_supporter_a
):
    client.force_login(other_supporter_a.user)

    assert client.get(reverse("groups:calendar", args=[session_a.pk])).status_code == 404


def test_a_full_session_tells_the_supporter_kindly(
    client, program_a, supporter_a, other_supporter_a
):
    session = GroupSessionFactory(program=program_a, capacity=1)
    AttendanceFactory(session=session, supporter=other_supporter_a, status="attending")
    invitation = AttendanceFactory(session=session, supporter=supporter_a)
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("groups:answer", args=[invitation.pk]), {"answer": "coming"}, follow=True
    )

    assert "is full" in response.content.decode()


# ---- times in each reader's zone -----------------------------------------------------------

# 18:30 in Toronto on Thursday 14 January 2027: 23:30 UTC, 15:30 in Vancouver.
EVENING_IN_TORONTO = dt.datetime(2027, 1, 14, 18, 30, tzinfo=TORONTO)


def test_the_calendar_file_gives_the_sessions_moment_in_utc(client, program_a, supporter_a):
    session = GroupSessionFactory(
        program=program_a, starts_at=EVENING_IN_TORONTO, length_minutes=90
    )
    AttendanceFactory(session=session, supporter=supporter_a)
    client.force_login(supporter_a.user)

    text = client.get(reverse("groups:calendar", args=[session.pk])).content.decode()

    assert "DTSTART:20270114T233000Z" in text
    assert "DTEND:20270115T010000Z" in text


def test_each_reader_sees_the_session_in_their_own_zone(client, program_a, coordinator_a):
    session = GroupSessionFactory(program=program_a, starts_at=EVENING_IN_TORONTO)
    detail = reverse("groups:detail", args=[session.pk])
    client.force_login(coordinator_a)
    in_toronto = client.get(detail).content.decode()
    coordinator_a.time_zone = "America/Vancouver"
    coordinator_a.save()
    in_vancouver = client.get(detail).content.decode()

    assert "Thursday 14 January 2027, 18:30 EST" in in_toronto
    assert "Thursday 14 January 2027, 15:30 PST" in in_vancouver
