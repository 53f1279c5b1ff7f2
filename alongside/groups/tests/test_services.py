"""Group sessions: the rules of scheduling, changing, cancelling, inviting, answering, attending."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.groups import queries, services
from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
from alongside.groups.ics import session_calendar_file
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.notifications.models import OutboxMessage
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus


def next_week() -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=7)).replace(second=0, microsecond=0)


def details(**overrides: object) -> dict[str, object]:
    return {
        "kind": SessionKind.CHECK_IN,
        "title": "June supporter check-in",
        "starts_at": next_week(),
        "length_minutes": 60,
        "place": "",
        "video_link": "https://meet.example.org/june",
        "capacity": None,
        "notes": "Bring one thing that went well.",
    } | overrides


@pytest.fixture
def session_a(program_a, coordinator_a) -> GroupSession:
    return services.schedule_session(program=program_a, by=coordinator_a, **details())


# ---- scheduling ----------------------------------------------------------------------------


def test_a_coordinator_schedules_a_check_in_meeting_and_it_is_audited(program_a, coordinator_a):
    session = services.schedule_session(program=program_a, by=coordinator_a, **details())

    assert session.program == program_a
    assert session.created_by == coordinator_a
    assert session.ends_at == session.starts_at + dt.timedelta(minutes=60)
    event = AuditEvent.objects.get(action="groups.session.scheduled")
    assert event.target_id == str(session.pk)
    assert event.program_id == program_a.pk


def test_a_session_in_the_past_is_refused(program_a, coordinator_a):
    with pytest.raises(DomainError, match="not passed yet"):
        services.schedule_session(
            program=program_a,
            by=coordinator_a,
            **details(starts_at=timezone.now() - dt.timedelta(minutes=1)),
        )

    assert not GroupSession.objects.exists()


def test_a_session_needs_a_place_or_a_link(program_a, coordinator_a):
    with pytest.raises(DomainError, match="place, a video call link, or both"):
        services.schedule_session(program=program_a, by=coordinator_a, **details(video_link=""))


def test_a_session_may_have_both_a_place_and_a_link(program_a, coordinator_a):
    session = services.schedule_session(
        program=program_a, by=coordinator_a, **details(place="Room 2, 40 King St")
    )

    assert session.place
    assert session.video_link


def test_a_session_that_is_too_long_is_refused_with_the_limit(program_a, coordinator_a):
    with pytest.raises(DomainError, match="480"):
        services.schedule_session(
            program=program_a, by=coordinator_a, **details(length_minutes=600)
        )


def test_an_inactive_program_cannot_schedule(program_a, coordinator_a):
    program_a.is_active = False
    program_a.save()

    with pytest.raises(DomainError, match="not active"):
        services.schedule_session(program=program_a, by=coordinator_a, **details())


# ---- changing and cancelling -----------------------------------------------------------------


def test_moving_a_session_tells_those_invited_once(session_a, coordinator_a, supporter_a):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])
    later = session_a.starts_at + dt.timedelta(days=1)

    services.change_session(session=session_a, by=coordinator_a, starts_at=later)
    services.change_session(session=session_a, by=coordinator_a, starts_at=later)

    session_a.refresh_from_db()
    assert session_a.starts_at == later
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith="groups.session.changed:").count()
        == 1
    )
    assert AuditEvent.objects.filter(action="groups.session.changed").count() == 1


def test_changing_only_the_notes_tells_nobody(session_a, coordinator_a, supporter_a):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])

    services.change_session(session=session_a, by=coordinator_a, notes="New notes")

    assert not OutboxMessage.objects.filter(
        idempotency_key__startswith="groups.session.changed:"
    ).exists()


def test_a_session_cannot_be_moved_into_the_past(session_a, coordinator_a):
    with pytest.raises(DomainError, match="not passed yet"):
        services.change_session(
            session=session_a, by=coordinator_a, starts_at=timezone.now() - dt.timedelta(hours=1)
        )


def test_capacity_cannot_drop_below_those_coming(
    session_a, coordinator_a, supporter_a, other_supporter_a
):
    invited = services.invite_supporters(session=session_a, by=coordinator_a)
    for attendance in invited:
        services.answer_invitation(attendance=attendance, by=attendance.supporter.user, coming=True)

    with pytest.raises(DomainError, match="2 people have already said they are coming"):
        services.change_session(session=session_a, by=coordinator_a, capacity=1)


def test_cancelling_tells_the_invited_who_had_not_declined_once(
    session_a, coordinator_a, supporter_a, other_supporter_a
):
    invited = services.invite_supporters(session=session_a, by=coordinator_a)
    declined = next(one for one in invited if one.supporter == other_supporter_a)
    services.answer_invitation(attendance=declined, by=other_supporter_a.user, coming=False)

    services.cancel_session(session=session_a, by=coordinator_a, reason="The room flooded.")
    services.cancel_session(session=session_a, by=coordinator_a, reason="The room flooded.")

    session_a.refresh_from_db()
    assert session_a.is_cancelled
    assert session_a.cancellation_reason == "The room flooded."
    cancelled = OutboxMessage.objects.filter(
        idempotency_key__startswith="groups.session.cancelled:"
    )
    assert [message.recipient for message in cancelled] == [supporter_a.user]
    assert "The room flooded." in cancelled.get().body
    assert AuditEvent.objects.filter(action="groups.session.cancelled").count() == 1


def test_cancelling_needs_a_reason(session_a, coordinator_a):
    with pytest.raises(DomainError, match="Say why"):
        services.cancel_session(session=session_a, by=coordinator_a, reason="  ")


def test_a_cancelled_session_cannot_be_changed(session_a, coordinator_a):
    services.cancel_session(session=session_a, by=coordinator_a, reason="Snow storm.")

    with pytest.raises(DomainError, match="cancelled"):
        services.change_session(session=session_a, by=coordinator_a, title="Back on")


def test_a_session_that_has_started_cannot_be_cancelled(session_a, coordinator_a):
    with (
        time_machine.travel(session_a.starts_at + dt.timedelta(minutes=5)),
        pytest.raises(DomainError, match="already started"),
    ):
        services.cancel_session(session=session_a, by=coordinator_a, reason="Too late")


# ---- inviting ----------------------------------------------------------------------------


def test_inviting_everyone_invites_only_the_programs_active_supporters(
    session_a, coordinator_a, supporter_a, other_supporter_a, program_a, program_b
):
    SupporterFactory(program=program_a, status=SupporterStatus.SCREENING)
    SupporterFactory(program=program_b)

    invited = services.invite_supporters(session=session_a, by=coordinator_a)

    assert {attendance.supporter for attendance in invited} == {supporter_a, other_supporter_a}
    assert (
        OutboxMessage.objects.filter(idempotency_key__startswith="groups.session.invited:").count()
        == 2
    )
    event = AuditEvent.objects.get(action="groups.session.invited")
    assert sorted(event.data["supporters"]) == sorted([supporter_a.pk, other_supporter_a.pk])


def test_inviting_twice_invites_nobody_twice(session_a, coordinator_a, supporter_a):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])

    again = services.invite_supporters(
        session=session_a, by=coordinator_a, supporters=[supporter_a]
    )

    assert again == []
    assert Attendance.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_supporter_of_another_program_cannot_be_invited(session_a, coordinator_a, program_b):
    outsider = SupporterFactory(program=program_b)

    with pytest.raises(DomainError, match="Only active supporters"):
        services.invite_supporters(session=session_a, by=coordinator_a, supporters=[outsider])


def test_a_supporter_not_yet_ready_cannot_be_picked(session_a, coordinator_a, program_a):
    screening = SupporterFactory(program=program_a, status=SupporterStatus.SCREENING)

    with pytest.raises(DomainError, match="Only active supporters"):
        services.invite_supporters(session=session_a, by=coordinator_a, supporters=[screening])


def test_inviting_everyone_when_there_is_nobody_says_so(session_a, coordinator_a):
    with pytest.raises(DomainError, match="nobody to invite"):
        services.invite_supporters(session=session_a, by=coordinator_a)


def test_nobody_can_be_invited_to_a_cancelled_session(session_a, coordinator_a, supporter_a):
    services.cancel_session(session=session_a, by=coordinator_a, reason="Holiday.")

    with pytest.raises(DomainError, match="cancelled"):
        services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])


# ---- answering -----------------------------------------------------------------------------


def test_a_supporter_says_they_will_come_then_that_they_cannot(
    session_a, coordinator_a, supporter_a
):
    (invitation,) = services.invite_supporters(
        session=session_a, by=coordinator_a, supporters=[supporter_a]
    )

    services.answer_invitation(attendance=invitation, by=supporter_a.user, coming=True)
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.ATTENDING
    services.answer_invitation(attendance=invitation, by=supporter_a.user, coming=False)
    invitation.refresh_from_db()
    assert invitation.status == AttendanceStatus.NOT_COMING
    assert AuditEvent.objects.filter(action="groups.attendance.answered").count() == 2


def test_only_the_person_invited_can_answer(
    session_a, coordinator_a, supporter_a, other_supporter_a
):
    (invitation,) = services.invite_supporters(
        session=session_a, by=coordinator_a, supporters=[supporter_a]
    )

    with pytest.raises(DomainError, match="Only the person invited"):
        services.answer_invitation(attendance=invitation, by=other_supporter_a.user, coming=True)


def test_a_full_session_refuses_another_yes(
    session_a, coordinator_a, supporter_a, other_supporter_a
):
    services.change_session(session=session_a, by=coordinator_a, capacity=1)
    first, second = services.invite_supporters(session=session_a, by=coordinator_a)
    services.answer_invitation(attendance=first, by=first.supporter.user, coming=True)

    with pytest.raises(DomainError, match="is full"):
        services.answer_invitation(attendance=second, by=second.supporter.user, coming=True)


def test_nobody_can_answer_once_the_session_has_started(session_a, coordinator_a, supporter_a):
    (invitation,) = services.invite_supporters(
        session=session_a, by=coordinator_a, supporters=[supporter_a]
    )

    with (
        time_machine.travel(session_a.starts_at + dt.timedelta(minutes=1)),
        pytest.raises(DomainError, match="already started"),
    ):
        services.answer_invitation(attendance=invitation, by=supporter_a.user, coming=True)


# ---- attendance ----------------------------------------------------------------------------


def test_the_coordinator_records_who_came_after_the_session(
    session_a, coordinator_a, supporter_a, other_supporter_a
):
    invited = {
        one.supporter_id: one
        for one in services.invite_supporters(session=session_a, by=coordinator_a)
    }

    with time_machine.travel(session_a.ends_at + dt.timedelta(minutes=5)):
        changed = services.record_attendance(
            session=session_a,
            by=coordinator_a,
            attended={invited[supporter_a.pk].pk: True, invited[other_supporter_a.pk].pk: False},
        )
        again = services.record_attendance(
            session=session_a, by=coordinator_a, attended={invited[supporter_a.pk].pk: True}
        )

    assert len(changed) == 2
    assert again == []
    statuses = dict(Attendance.objects.values_list("supporter_id", "status"))
    assert statuses == {
        supporter_a.pk: AttendanceStatus.ATTENDED,
        other_supporter_a.pk: AttendanceStatus.ABSENT,
    }
    assert AuditEvent.objects.filter(action="groups.attendance.recorded").count() == 2
    assert queries.attendance_was_taken(session_a)


def test_attendance_waits_until_the_session_has_started(session_a, coordinator_a, supporter_a):
    (invitation,) = services.invite_supporters(
        session=session_a, by=coordinator_a, supporters=[supporter_a]
    )

    with pytest.raises(DomainError, match="once the session has started"):
        services.record_attendance(
            session=session_a, by=coordinator_a, attended={invitation.pk: True}
        )


def test_attendance_of_someone_not_invited_is_refused(session_a, coordinator_a, program_a):
    elsewhere = AttendanceFactory()

    with time_machine.travel(session_a.ends_at), pytest.raises(DomainError, match="not invited"):
        services.record_attendance(
            session=session_a, by=coordinator_a, attended={elsewhere.pk: True}
        )


def test_a_cancelled_session_has_no_attendance(session_a, coordinator_a):
    services.cancel_session(session=session_a, by=coordinator_a, reason="Ill.")

    with time_machine.travel(session_a.ends_at), pytest.raises(DomainError, match="cancelled"):
        services.record_attendance(session=session_a, by=coordinator_a, attended={})


# ---- reads ---------------------------------------------------------------------------------


def test_a_supporter_sees_only_their_own_sessions_to_come(
    session_a, coordinator_a, supporter_a, program_a
):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])
    GroupSessionFactory(program=program_a)  # not invited
    past = GroupSessionFactory(program=program_a, starts_at=timezone.now() - dt.timedelta(days=2))
    AttendanceFactory(session=past, supporter=supporter_a)

    upcoming = queries.upcoming_for_supporter(supporter_a, timezone.now())

    assert [invitation.session for invitation in upcoming] == [session_a]


def test_sessions_are_visible_to_program_staff_and_to_those_invited(
    session_a, coordinator_a, coordinator_b, supporter_a, other_supporter_a
):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])

    assert list(GroupSession.objects.visible_to(coordinator_a)) == [session_a]
    assert list(GroupSession.objects.visible_to(supporter_a.user)) == [session_a]
    assert not GroupSession.objects.visible_to(coordinator_b).exists()
    assert not GroupSession.objects.visible_to(other_supporter_a.user).exists()


def test_the_time_is_written_on_the_programs_clock(program_a, coordinator_a):
    session = GroupSessionFactory(
        program=program_a, starts_at=dt.datetime(2031, 6, 3, 22, 0, tzinfo=dt.UTC)
    )

    assert queries.local_start_text(session) == "Tuesday 3 June 2031, 18:00 EDT"


def test_the_calendar_file_holds_the_title_time_and_place_and_no_people(
    session_a, coordinator_a, supporter_a
):
    services.invite_supporters(session=session_a, by=coordinator_a, supporters=[supporter_a])

    text = session_calendar_file(session_a).decode()

    assert "SUMMARY:June supporter check-in" in text
    assert "LOCATION:https://meet.example.org/june" in text
    assert f"DTSTART:{session_a.starts_at:%Y%m%dT%H%M%S}Z" in text
    assert "STATUS:CONFIRMED" in text
    assert supporter_a.user.email not in text
    assert "ATTENDEE" not in text
    assert "ORGANIZER" not in text
    assert coordinator_a.email not in text


def test_a_cancelled_sessions_calendar_file_says_so(session_a, coordinator_a):
    cancelled = services.cancel_session(
        session=session_a, by=coordinator_a, reason="Private reason."
    )

    text = session_calendar_file(cancelled).decode()

    assert "STATUS:CANCELLED" in text
    assert "Private reason" not in text
