import datetime as dt
import threading
import uuid
import zoneinfo

import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core import mail
from django.db import connection
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.core.repeats import REPEAT_WINDOW, window_of
from alongside.intake import services
from alongside.intake.models import RequestStatus, Source, SupportRequest
from alongside.notifications.models import Channel, OutboxMessage
from alongside.programs.models import ContactMethod, Language, Relationship

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
ABOUT = "My partner was diagnosed in spring and I do not know who to talk to."


def toronto(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TORONTO)


def submit(program, ms, **overrides) -> SupportRequest:
    """Submit a request as the public form would, with answers that pass every rule."""
    answers = {
        "program": program,
        "source": Source.PUBLIC_FORM,
        "submission_token": uuid.uuid4(),
        "first_name": "Jordan",
        "last_name": "Lee",
        "email": "jordan.lee@example.net",
        "phone": "+14165550199",
        "contact_methods": [ContactMethod.EMAIL, ContactMethod.PHONE],
        "language": Language.ENGLISH,
        "experience": ms,
        "relationship": Relationship.FAMILY,
        "about": ABOUT,
        "consent": True,
    }
    return services.submit_support_request(**(answers | overrides))


# ---- when it is due ------------------------------------------------------------------------


def test_a_friday_afternoon_request_with_two_business_days_is_due_tuesday_at_five(program_a, ms):
    with time_machine.travel(toronto(2026, 1, 9, 15), tick=False):
        support_request = submit(program_a, ms)

    assert support_request.due_at == toronto(2026, 1, 13, 17)
    assert support_request.received_at == toronto(2026, 1, 9, 15)


def test_a_request_the_day_before_good_friday_skips_the_holiday_and_the_weekend(program_a, ms):
    with time_machine.travel(toronto(2026, 4, 2, 10), tick=False):
        support_request = submit(program_a, ms)

    # Good Friday (3 April) is a holiday in Ontario; Monday 6 is day one, Tuesday 7 day two.
    assert support_request.due_at == toronto(2026, 4, 7, 17)


def test_a_request_after_the_business_day_ends_counts_from_the_next_one(program_a, ms):
    with time_machine.travel(toronto(2026, 1, 13, 17, 30), tick=False):
        support_request = submit(program_a, ms)

    # Tuesday evening counts as Wednesday; two business days later is Friday.
    assert support_request.due_at == toronto(2026, 1, 16, 17)


def test_the_due_date_follows_the_programs_own_sla_and_closing_time(program_a, ms):
    program_a.sla_business_days = 1
    program_a.business_day_ends_at = dt.time(16, 0)
    program_a.save()

    with time_machine.travel(toronto(2026, 1, 13, 16, 30), tick=False):
        support_request = submit(program_a, ms)

    assert support_request.due_at == toronto(2026, 1, 15, 16)


@pytest.mark.parametrize(("subdivision", "due_day"), [("ON", 18), ("QC", 17)])
def test_the_due_date_follows_the_programs_province(program_a, ms, subdivision, due_day):
    # Family Day (Monday 16 February) is a holiday in Ontario; Quebec does not keep it.
    program_a.subdivision = subdivision
    program_a.save()

    with time_machine.travel(toronto(2026, 2, 13, 10), tick=False):
        support_request = submit(program_a, ms)

    assert support_request.due_at == toronto(2026, 2, due_day, 17)


def test_the_due_date_is_stored_in_utc(program_a, ms):
    with time_machine.travel(toronto(2026, 1, 9, 15), tick=False):
        support_request = submit(program_a, ms)

    support_request.refresh_from_db()
    assert support_request.due_at.utcoffset() == dt.timedelta(0)
    assert support_request.due_at == dt.datetime(2026, 1, 13, 22, 0, tzinfo=dt.UTC)


# ---- what it records -----------------------------------------------------------------------


def test_a_request_is_recorded_waiting_with_its_answers(program_a, ms):
    support_request = submit(program_a, ms)

    support_request.refresh_from_db()
    assert support_request.status == RequestStatus.NEW
    assert support_request.source == Source.PUBLIC_FORM
    assert support_request.experience == ms
    assert support_request.about == ABOUT
    assert support_request.consent_given_at is not None
    assert support_request.peer.first_name == "Jordan"
    assert support_request.peer.email == "jordan.lee@example.net"
    assert support_request.peer.program == program_a


def test_submitting_writes_an_audit_event(program_a, ms):
    support_request = submit(program_a, ms)

    event = AuditEvent.objects.get(action="intake.request.submitted")
    assert event.target_type == "intake.supportrequest"
    assert event.target_id == str(support_request.pk)
    assert event.program == program_a
    assert event.data == {"source": Source.PUBLIC_FORM}
    assert event.actor is None


def test_a_request_entered_by_a_coordinator_names_them_in_the_audit_event(
    program_a, ms, coordinator_a
):
    support_request = submit(program_a, ms, source=Source.PHONE, entered_by=coordinator_a, email="")

    assert support_request.entered_by == coordinator_a
    assert AuditEvent.objects.get(action="intake.request.submitted").actor == coordinator_a


def test_the_peers_email_and_the_request_text_are_encrypted_at_rest(program_a, ms):
    support_request = submit(program_a, ms)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT email, phone FROM intake_peer WHERE id = %s", [support_request.peer_id]
        )
        raw_email, raw_phone = cursor.fetchone()
        cursor.execute(
            "SELECT about FROM intake_supportrequest WHERE id = %s", [support_request.pk]
        )
        (raw_about,) = cursor.fetchone()

    assert raw_email
    assert "jordan.lee" not in raw_email
    assert "5550199" not in raw_phone
    assert raw_about
    assert "diagnosed" not in raw_about


# ---- the rules -----------------------------------------------------------------------------


def test_a_request_without_consent_is_refused_and_nothing_is_saved(program_a, ms):
    with pytest.raises(DomainError, match="consent"):
        submit(program_a, ms, consent=False)

    assert not SupportRequest.objects.exists()


def test_a_request_without_an_email_or_a_phone_is_refused(program_a, ms):
    with pytest.raises(DomainError, match="e-mail address or a phone number"):
        submit(program_a, ms, email="", phone="")

    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(("email", "phone"), [("jordan.lee@example.net", ""), ("", "+14165550199")])
def test_an_email_or_a_phone_alone_is_enough(program_a, ms, email, phone):
    assert submit(program_a, ms, email=email, phone=phone).pk


def test_the_same_submission_twice_records_one_request(program_a, ms):
    token = uuid.uuid4()

    first = submit(program_a, ms, submission_token=token)
    second = submit(program_a, ms, submission_token=token, first_name="Someone else")

    assert second.pk == first.pk
    assert SupportRequest.objects.count() == 1
    assert AuditEvent.objects.filter(action="intake.request.submitted").count() == 1


# ---- the same answers sent again (Back, then Send) -----------------------------------------


def test_the_same_answers_under_a_new_token_are_the_first_request_and_send_nothing_more(
    program_a, ms, coordinator_a
):
    first = submit(program_a, ms)
    messages = OutboxMessage.objects.count()

    again = submit(program_a, ms, submission_token=uuid.uuid4())

    assert again.pk == first.pk
    assert again.reference == first.reference
    assert SupportRequest.objects.count() == 1
    assert OutboxMessage.objects.count() == messages
    assert AuditEvent.objects.filter(action="intake.request.submitted").count() == 1


def test_case_and_spacing_do_not_make_the_same_answers_a_new_request(program_a, ms):
    first = submit(program_a, ms)

    again = submit(
        program_a,
        ms,
        submission_token=uuid.uuid4(),
        email="  Jordan.Lee@Example.NET",
        about=ABOUT.replace(" ", "  ") + "\n",
    )

    assert again.pk == first.pk


def test_a_repeat_just_across_a_window_boundary_is_still_the_first_request(program_a, ms):
    boundary = dt.datetime.fromtimestamp(window_of(timezone.now()) * 1800, tz=dt.UTC)
    with time_machine.travel(boundary - dt.timedelta(seconds=5), tick=False):
        first = submit(program_a, ms)
    with time_machine.travel(boundary + dt.timedelta(minutes=20), tick=False):
        again = submit(program_a, ms, submission_token=uuid.uuid4())

    assert again.pk == first.pk


def test_the_same_answers_after_half_an_hour_are_a_new_request(program_a, ms):
    start = toronto(2026, 3, 2, 10)
    with time_machine.travel(start, tick=False):
        first = submit(program_a, ms)
    with time_machine.travel(start + REPEAT_WINDOW + dt.timedelta(seconds=1), tick=False):
        later = submit(program_a, ms, submission_token=uuid.uuid4())

    assert later.pk != first.pk


@pytest.mark.parametrize(
    "change",
    [
        {"about": "Something else entirely."},
        {"preferences": "Someone my age, please."},
        {"email": "someone.else@example.net"},
        {"phone": "+14165550100"},
    ],
)
def test_other_words_or_other_contact_details_are_a_new_request(program_a, ms, change):
    first = submit(program_a, ms)

    other = submit(program_a, ms, submission_token=uuid.uuid4(), **change)

    assert other.pk != first.pk


def test_the_same_answers_to_another_program_are_a_new_request(program_a, program_b, ms):
    first = submit(program_a, ms)

    other = submit(program_b, ms, submission_token=uuid.uuid4())

    assert other.pk != first.pk


def test_the_fingerprint_is_keyed_and_holds_no_contact_details(program_a, ms, settings):
    support_request = submit(program_a, ms)
    stored = support_request.answers_fingerprint

    assert len(stored) == 64
    assert "jordan" not in stored.casefold()
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    assert stored != services.request_fingerprint(
        program=program_a,
        email="jordan.lee@example.net",
        phone="+14165550199",
        experience=ms,
        about=ABOUT,
        preferences="",
    )


@pytest.mark.django_db(transaction=True)
def test_the_same_answers_sent_twice_at_once_make_one_request(program_a, ms):
    """Two posts of one person's answers, each with its own token, race: one row."""
    start = threading.Barrier(2)
    made: list[int] = []

    def send() -> None:
        try:
            start.wait()
            made.append(submit(program_a, ms, submission_token=uuid.uuid4()).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(made) == 2
    assert made[0] == made[1]
    assert SupportRequest.objects.count() == 1


def test_a_program_taking_referrals_only_refuses_the_public_form(program_a, ms):
    program_a.accepts_public_requests = False
    program_a.save()

    with pytest.raises(DomainError, match="by referral only"):
        submit(program_a, ms)

    assert not SupportRequest.objects.exists()


def test_a_program_not_taking_referrals_refuses_a_referral(program_a, ms, coordinator_a):
    with pytest.raises(DomainError, match="does not take referrals"):
        submit(program_a, ms, source=Source.REFERRAL, referred_by=coordinator_a)


def test_a_program_taking_referrals_accepts_one(program_a, ms, coordinator_a):
    program_a.accepts_referrals = True
    program_a.save()

    support_request = submit(program_a, ms, source=Source.REFERRAL, referred_by=coordinator_a)

    assert support_request.referred_by == coordinator_a


def test_an_inactive_program_takes_no_requests(program_a, ms):
    program_a.is_active = False
    program_a.save()

    with pytest.raises(DomainError, match="not taking requests"):
        submit(program_a, ms, source=Source.PHONE)


# ---- who hears about it --------------------------------------------------------------------


def test_the_programs_coordinators_get_an_in_app_message(
    program_a, ms, coordinator_a, coordinator_b
):
    support_request = submit(program_a, ms)

    (message,) = OutboxMessage.objects.filter(channel=Channel.IN_APP)
    assert message.recipient == coordinator_a
    assert message.program == program_a
    assert f"#{support_request.pk}" in message.body


def test_an_inactive_coordinator_is_not_told(program_a, ms, coordinator_a):
    coordinator_a.memberships.update(is_active=False)

    submit(program_a, ms)

    assert not OutboxMessage.objects.filter(channel=Channel.IN_APP).exists()


def test_the_peer_is_thanked_by_email_only_after_the_request_is_committed(
    program_a, ms, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(toronto(2026, 1, 9, 15), tick=False),
        django_capture_on_commit_callbacks(execute=False) as callbacks,
    ):
        submit(program_a, ms)
        assert mail.outbox == []

    assert mail.outbox == []
    # The commit runs the callbacks; the task backend hands the delivery to huey on commit too.
    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    (email,) = mail.outbox
    assert email.to == ["jordan.lee@example.net"]
    assert email.subject == "We received your request for peer support"
    assert "2026-01-13 17:00" in email.body  # in the program's time zone


def test_a_peer_who_gave_only_a_phone_gets_no_email(
    program_a, ms, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(program_a, ms, email="", contact_methods=[ContactMethod.PHONE])

    assert mail.outbox == []
    assert not OutboxMessage.objects.filter(channel=Channel.EMAIL).exists()


def test_a_refused_request_sends_nothing(
    program_a, ms, coordinator_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(DomainError):
        submit(program_a, ms, consent=False)

    assert mail.outbox == []
    assert not OutboxMessage.objects.exists()


def test_reading_a_request_is_audited(request_a, coordinator_a):
    services.record_request_viewed(support_request=request_a, viewer=coordinator_a)

    event = AuditEvent.objects.get(action="intake.request.viewed")
    assert event.actor == coordinator_a
    assert event.target_id == str(request_a.pk)
    assert event.program_id == request_a.program_id


def test_a_program_not_taking_phone_requests_refuses_one_taken_by_phone(
    program_a, ms, coordinator_a
):
    program_a.accepts_phone_requests = False
    program_a.save()

    with pytest.raises(DomainError, match="does not take requests by phone"):
        submit(program_a, ms, source=Source.PHONE, entered_by=coordinator_a)

    assert not SupportRequest.objects.exists()
