"""Twilio's signed delivery reports: they update the outbox row found by its SID; a number
Twilio blames is marked undeliverable; unsigned or forged reports change nothing."""

import pytest
from django.conf import settings

from alongside.notifications import services
from alongside.notifications.models import (
    Channel,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
    UndeliverableAddress,
)
from alongside.notifications.tests.providers import TWILIO_TOKEN, LocalTwilio, twilio_signature

PHONE = "+15145550123"
SID = "SM0123456789abcdef"
STATUS_PATH = "/providers/twilio/status/"


@pytest.fixture
def twilio(settings, monkeypatch):
    settings.SMS_BACKEND = "alongside.notifications.sms.TwilioSmsBackend"
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+15145550000"
    local = LocalTwilio()
    monkeypatch.setattr("alongside.notifications.sms.TwilioHttpClient", lambda **kwargs: local)
    return local


@pytest.fixture
def texted(twilio, program_a, django_capture_on_commit_callbacks) -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=True):
        message = services.queue_message(
            channel=Channel.SMS,
            to_address=PHONE,
            subject="",
            body="Your check-in is tomorrow.",
            idempotency_key="checkin:1:sms",
            program=program_a,
        )
    message.refresh_from_db()
    return message


def report(client, fields: dict[str, str], *, signature: str | None = None):
    url = settings.SITE_URL + STATUS_PATH
    signed = twilio_signature(url, fields) if signature is None else signature
    return client.post(STATUS_PATH, fields, HTTP_X_TWILIO_SIGNATURE=signed)


def status(value: str, error_code: str = "") -> dict[str, str]:
    fields = {"MessageSid": SID, "MessageStatus": value, "AccountSid": "AC123", "To": PHONE}
    return {**fields, "ErrorCode": error_code} if error_code else fields


def test_a_text_message_sent_through_twilio_keeps_its_sid(texted):
    assert texted.status == MessageStatus.SENT
    assert texted.provider_message_id == SID


def test_a_signed_delivered_report_marks_the_message_delivered(client, texted):
    response = report(client, status("delivered"))

    assert response.status_code == 204
    texted.refresh_from_db()
    assert texted.delivery_report == DeliveryReport.DELIVERED


def test_an_undelivered_report_gives_the_message_up_without_blaming_a_switched_off_phone(
    client, texted
):
    report(client, status("undelivered", "30003"))

    texted.refresh_from_db()
    assert (texted.status, texted.delivery_report) == (MessageStatus.DEAD, DeliveryReport.FAILED)
    assert "Twilio error 30003" in texted.last_error
    assert not UndeliverableAddress.objects.exists()


def test_a_failed_report_blaming_the_number_marks_it_and_tells_the_coordinators(
    client, texted, coordinator_a
):
    report(client, status("failed", "30005"))
    report(client, status("failed", "30005"))

    mark = UndeliverableAddress.objects.get()
    assert (mark.address, mark.channel, mark.program) == (PHONE, Channel.SMS, texted.program)
    notices = OutboxMessage.objects.filter(recipient=coordinator_a, channel=Channel.IN_APP)
    assert notices.count() == 1


def test_a_later_text_to_a_marked_number_is_not_sent(
    client, texted, twilio, django_capture_on_commit_callbacks
):
    report(client, status("failed", "30005"))

    with django_capture_on_commit_callbacks(execute=True):
        later = services.queue_message(
            channel=Channel.SMS,
            to_address=PHONE,
            subject="",
            body="Another one.",
            idempotency_key="checkin:2:sms",
        )
    later.refresh_from_db()
    assert later.status == MessageStatus.DEAD
    assert len(twilio.requests) == 1


@pytest.mark.parametrize("signature", ["", "forged", twilio_signature("http://x/", {})])
def test_an_unsigned_or_forged_report_is_refused_and_changes_nothing(client, texted, signature):
    response = report(client, status("failed", "30005"), signature=signature)

    assert response.status_code == 403
    texted.refresh_from_db()
    assert texted.delivery_report == ""
    assert not UndeliverableAddress.objects.exists()


def test_a_report_signed_with_another_token_is_refused(client, texted):
    url = settings.SITE_URL + STATUS_PATH
    forged = twilio_signature(url, status("delivered"), token="not-our-token")

    assert report(client, status("delivered"), signature=forged).status_code == 403


@pytest.mark.django_db
def test_without_an_auth_token_every_report_is_refused(client, settings):
    settings.TWILIO_AUTH_TOKEN = ""

    assert report(client, status("delivered"), signature="anything").status_code == 403


@pytest.mark.django_db
def test_a_signed_report_about_no_message_of_ours_changes_nothing(client, twilio):
    assert report(client, status("delivered")).status_code == 204
