import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.matches.factories import MatchFactory
from alongside.matches.models import ContactLog, Match, MatchStatus, SupportType
from alongside.matches.services import contacts, lifecycle
from alongside.notifications.models import Channel, OutboxMessage
from alongside.programs.models import ContactMethod, Language
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus

NOTE = "They are worried about telling their employer; we talked about options."


def start(request_, supporter, coordinator) -> Match:
    return lifecycle.start_match(
        support_request=request_, supporter=supporter, started_by=coordinator
    )


def assert_nothing_started(request_) -> None:
    request_.refresh_from_db()
    assert request_.status == RequestStatus.NEW
    assert not Match.objects.filter(request=request_).exists()
    assert not OutboxMessage.objects.exists()
    assert not AuditEvent.objects.filter(action="matches.match.started").exists()


# ---- start_match ---------------------------------------------------------------------------


def test_starting_a_match_makes_it_active_and_the_request_matched(
    request_a, supporter_a, coordinator_a
):
    match = start(request_a, supporter_a, coordinator_a)

    request_a.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE
    assert match.program == request_a.program
    assert match.supporter == supporter_a
    assert match.created_by == coordinator_a
    assert request_a.status == RequestStatus.MATCHED


def test_a_match_is_planned_to_end_after_the_programs_match_length(
    request_a, supporter_a, coordinator_a
):
    with time_machine.travel(dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC), tick=False):
        match = start(request_a, supporter_a, coordinator_a)

    assert match.planned_end_on == dt.date(2026, 3, 2) + dt.timedelta(weeks=26)


def test_a_match_in_a_program_without_a_set_length_has_no_planned_end(
    program_a, request_a, supporter_a, coordinator_a
):
    program_a.match_length_weeks = None
    program_a.save()

    assert start(request_a, supporter_a, coordinator_a).planned_end_on is None


def test_starting_a_match_writes_an_audit_event(request_a, supporter_a, coordinator_a):
    match = start(request_a, supporter_a, coordinator_a)

    event = AuditEvent.objects.get(action="matches.match.started")
    assert event.actor == coordinator_a
    assert event.target_id == str(match.pk)
    assert event.program == request_a.program
    assert event.data == {"request": request_a.pk, "supporter": supporter_a.pk}


def test_the_supporter_is_introduced_by_email_and_in_the_app(request_a, supporter_a, coordinator_a):
    match = start(request_a, supporter_a, coordinator_a)

    to_supporter = OutboxMessage.objects.filter(recipient=supporter_a.user)
    assert {message.channel for message in to_supporter} == {Channel.EMAIL, Channel.IN_APP}
    email = to_supporter.get(channel=Channel.EMAIL)
    assert email.to_address == "supporter.a@example.org"
    assert request_a.peer.first_name in email.body
    assert all(message.program == match.program for message in to_supporter)


def test_the_peer_who_chose_email_is_introduced_by_email_after_commit(
    request_a, supporter_a, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        start(request_a, supporter_a, coordinator_a)

    to_peer = OutboxMessage.objects.filter(recipient=None)
    assert [(message.channel, message.to_address) for message in to_peer] == [
        (Channel.EMAIL, request_a.peer.email)
    ]
    assert sorted(email.to[0] for email in mail.outbox) == sorted(
        [request_a.peer.email, "supporter.a@example.org"]
    )
    peer_email = next(email for email in mail.outbox if email.to == [request_a.peer.email])
    assert "Sam" in peer_email.body


def test_the_peer_who_chose_text_and_gave_a_phone_is_introduced_by_sms(
    program_a, ms, supporter_a, coordinator_a
):
    request_ = SupportRequestFactory(
        program=program_a,
        experience=ms,
        contact_methods=[ContactMethod.TEXT, ContactMethod.PHONE],
        peer__phone="+14165550142",
    )

    start(request_, supporter_a, coordinator_a)

    (to_peer,) = OutboxMessage.objects.filter(recipient=None)
    assert to_peer.channel == Channel.SMS
    assert to_peer.to_address == "+14165550142"


def test_the_peer_who_chose_text_but_gave_no_phone_is_introduced_by_email(
    program_a, ms, supporter_a, coordinator_a
):
    request_ = SupportRequestFactory(
        program=program_a,
        experience=ms,
        contact_methods=[ContactMethod.TEXT, ContactMethod.EMAIL],
        peer__phone="",
    )
    supporter_a.contact_methods = [ContactMethod.EMAIL]
    supporter_a.save()

    start(request_, supporter_a, coordinator_a)

    (to_peer,) = OutboxMessage.objects.filter(recipient=None)
    assert to_peer.channel == Channel.EMAIL


def test_a_request_no_longer_waiting_cannot_be_matched(request_a, supporter_a, coordinator_a):
    request_a.status = RequestStatus.WITHDRAWN
    request_a.save()

    with pytest.raises(DomainError, match=r"no longer waiting \(withdrawn\)"):
        start(request_a, supporter_a, coordinator_a)

    assert not Match.objects.exists()


def test_a_request_cannot_be_matched_twice(
    request_a, supporter_a, other_supporter_a, coordinator_a
):
    start(request_a, supporter_a, coordinator_a)

    with pytest.raises(DomainError, match=r"no longer waiting \(matched\)"):
        start(request_a, other_supporter_a, coordinator_a)

    assert Match.objects.filter(request=request_a).count() == 1


def test_a_supporter_of_another_program_cannot_be_matched(program_b, request_a, coordinator_a, ms):
    outsider = SupporterFactory(program=program_b, user__first_name="Casey")

    with pytest.raises(DomainError, match="Casey cannot be matched: belongs to another program"):
        start(request_a, outsider, coordinator_a)

    assert_nothing_started(request_a)


@pytest.mark.parametrize(
    ("status", "shown_as"),
    [
        (SupporterStatus.SCREENING, "in screening"),
        (SupporterStatus.PAUSED, "paused"),
        (SupporterStatus.ON_BREAK, "on a break"),
        (SupporterStatus.ALUMNI, "alumni"),
    ],
)
def test_a_supporter_who_is_not_active_cannot_be_matched(
    request_a, supporter_a, coordinator_a, status, shown_as
):
    supporter_a.status = status
    supporter_a.save()

    with pytest.raises(DomainError, match=rf"Sam cannot be matched: .*\({shown_as}\)"):
        start(request_a, supporter_a, coordinator_a)

    assert_nothing_started(request_a)


def test_a_supporter_who_is_away_cannot_be_matched(request_a, supporter_a, coordinator_a):
    back_on = timezone.localdate() + dt.timedelta(days=10)
    supporter_a.away_until = back_on
    supporter_a.save()

    with pytest.raises(DomainError, match=f"is away until {back_on.isoformat()}"):
        start(request_a, supporter_a, coordinator_a)

    assert_nothing_started(request_a)


def test_a_supporter_back_from_being_away_can_be_matched(request_a, supporter_a, coordinator_a):
    program_today = timezone.localdate(timezone=supporter_a.program.calendar.zone)
    supporter_a.away_until = program_today - dt.timedelta(days=1)
    supporter_a.save()

    assert start(request_a, supporter_a, coordinator_a).pk


def test_a_supporter_who_does_not_speak_the_persons_language_cannot_be_matched(
    request_a, supporter_a, coordinator_a
):
    request_a.language = Language.FRENCH
    request_a.save()

    with pytest.raises(DomainError, match="no shared language"):
        start(request_a, supporter_a, coordinator_a)

    assert_nothing_started(request_a)


def test_a_supporter_sharing_no_contact_method_cannot_be_matched(
    request_a, supporter_a, coordinator_a
):
    request_a.contact_methods = [ContactMethod.VIDEO, ContactMethod.IN_PERSON]
    request_a.save()

    with pytest.raises(DomainError, match="offers none of the ways the person wants"):
        start(request_a, supporter_a, coordinator_a)

    assert_nothing_started(request_a)


def test_a_supporter_at_capacity_cannot_be_matched(request_a, supporter_a, coordinator_a, match_a):
    supporter_a.max_concurrent_matches = 1
    supporter_a.save()
    OutboxMessage.objects.all().delete()

    with pytest.raises(DomainError, match="has no room for another match"):
        start(request_a, supporter_a, coordinator_a)

    assert_nothing_started(request_a)


def test_a_closed_match_frees_a_place(request_a, supporter_a, coordinator_a, match_a):
    supporter_a.max_concurrent_matches = 1
    supporter_a.save()
    match_a.status = MatchStatus.CLOSED
    match_a.save()

    assert start(request_a, supporter_a, coordinator_a).pk


def test_every_reason_is_given_at_once(request_a, supporter_a, coordinator_a):
    supporter_a.status = SupporterStatus.PAUSED
    supporter_a.save()
    request_a.language = Language.FRENCH
    request_a.save()

    with pytest.raises(DomainError) as refused:
        start(request_a, supporter_a, coordinator_a)

    assert "paused" in refused.value.message
    assert "language" in refused.value.message


# ---- log_contact ---------------------------------------------------------------------------


@pytest.fixture
def started_match(program_a, supporter_a, ms):
    return MatchFactory(
        program=program_a,
        supporter=supporter_a,
        request__experience=ms,
        started_at=timezone.now() - dt.timedelta(days=14),
    )


def log(match, **overrides) -> ContactLog:
    answers = {
        "match": match,
        "logged_by": match.supporter.user,
        "occurred_at": timezone.now() - dt.timedelta(hours=2),
        "minutes": 45,
        "method": ContactMethod.PHONE,
        "was_made": True,
        "support_types": [SupportType.EMOTIONAL],
        "note": NOTE,
    }
    return contacts.log_contact(**(answers | overrides))


def test_a_contact_is_recorded_with_its_details(started_match):
    contact = log(started_match, support_types=[SupportType.EMOTIONAL, SupportType.RESOURCES])

    contact.refresh_from_db()
    assert contact.match == started_match
    assert contact.logged_by == started_match.supporter.user
    assert contact.minutes == 45
    assert contact.support_types == [SupportType.EMOTIONAL, SupportType.RESOURCES]
    assert contact.note == NOTE


def test_logging_a_contact_writes_an_audit_event(started_match):
    contact = log(started_match)

    event = AuditEvent.objects.get(action="matches.contact.logged")
    assert event.actor == started_match.supporter.user
    assert event.target_id == str(contact.pk)
    assert event.data == {"match": started_match.pk}


def test_the_contact_audit_event_is_filed_under_the_matchs_program(started_match):
    # A program's audit trail must include reads and writes of its contact notes.
    log(started_match)

    event = AuditEvent.objects.get(action="matches.contact.logged")
    assert event.program == started_match.program


def test_the_contact_note_is_encrypted_at_rest(started_match):
    contact = log(started_match)

    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM matches_contactlog WHERE id = %s", [contact.pk])
        (raw_note,) = cursor.fetchone()

    assert raw_note
    assert "employer" not in raw_note


def test_a_contact_in_the_future_is_refused(started_match):
    with pytest.raises(DomainError, match="cannot be in the future"):
        log(started_match, occurred_at=timezone.now() + dt.timedelta(hours=1))

    assert not ContactLog.objects.exists()


def test_a_contact_a_few_minutes_ahead_of_the_server_clock_is_accepted(started_match):
    assert log(started_match, occurred_at=timezone.now() + dt.timedelta(minutes=5)).pk


def test_a_contact_dated_before_the_match_began_is_refused(started_match):
    with pytest.raises(DomainError, match="before the match began"):
        log(started_match, occurred_at=started_match.started_at - dt.timedelta(days=3))

    assert not ContactLog.objects.exists()


def test_a_conversation_that_took_place_must_have_lasted_a_minute(started_match):
    with pytest.raises(DomainError, match="at least one minute"):
        log(started_match, minutes=0, was_made=True)

    assert not ContactLog.objects.exists()


def test_an_attempt_that_did_not_reach_them_may_take_no_time(started_match):
    contact = log(started_match, minutes=0, was_made=False, support_types=[])

    assert contact.was_made is False


@pytest.mark.parametrize("minutes", [-1, 601])
def test_minutes_outside_zero_to_six_hundred_are_refused(started_match, minutes):
    with pytest.raises(DomainError, match="between 0 and 600"):
        log(started_match, minutes=minutes)


def test_a_closed_match_takes_no_more_contacts(started_match):
    started_match.status = MatchStatus.CLOSED
    started_match.save()

    with pytest.raises(DomainError, match="closed"):
        log(started_match)

    assert not ContactLog.objects.exists()
    assert not AuditEvent.objects.filter(action="matches.contact.logged").exists()


def test_a_paused_match_still_takes_contacts(started_match):
    started_match.status = MatchStatus.PAUSED
    started_match.save()

    assert log(started_match).pk


def test_a_support_type_given_twice_is_kept_once(started_match):
    contact = log(started_match, support_types=[SupportType.PRACTICAL, SupportType.PRACTICAL])

    assert contact.support_types == [SupportType.PRACTICAL]


def test_reading_a_match_is_audited(match_a, coordinator_a):
    lifecycle.record_match_viewed(match=match_a, viewer=coordinator_a)

    event = AuditEvent.objects.get(action="matches.match.viewed")
    assert event.actor == coordinator_a
    assert event.target_id == str(match_a.pk)
