import json
import logging
from typing import Any

import pytest
from django.core import mail

from alongside.notifications import services
from alongside.notifications.channels import DeliveryError, UndeliverableError
from alongside.notifications.models import Channel, MessageStatus
from alongside.notifications.sms import FileSmsBackend, TwilioSmsBackend
from alongside.notifications.tests.providers import TWILIO_TOKEN, LocalTwilio

PHONE = "+15145550123"
TEXT = "Your check-in with Alex is tomorrow at 10."
STATUS_PATH = "/providers/twilio/status/"


def queue_sms() -> Any:
    return services.queue_message(
        channel=Channel.SMS,
        to_address=PHONE,
        subject="",
        body=TEXT,
        idempotency_key="checkin:3:sms",
    )


@pytest.mark.django_db
def test_console_sms_backend_logs_neither_the_number_nor_the_text(
    caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_sms()

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert any(record.name == "alongside.sms" for record in caplog.records)
    assert PHONE not in caplog.text
    assert TEXT not in caplog.text
    assert mail.outbox == []


@pytest.mark.django_db
def test_file_sms_backend_appends_one_json_line_per_message(
    settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "alongside.notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    with django_capture_on_commit_callbacks(execute=True):
        queue_sms()

    lines = (tmp_path / "sms.log").read_text().splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["to"] == PHONE
    assert json.loads(lines[0])["body"] == TEXT


def test_file_sms_backend_writes_where_it_is_told(tmp_path):
    FileSmsBackend(tmp_path / "nested" / "sms.log").send_sms(PHONE, TEXT)
    assert json.loads((tmp_path / "nested" / "sms.log").read_text())["to"] == PHONE


@pytest.fixture
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = TWILIO_TOKEN
    settings.TWILIO_FROM_NUMBER = "+15145550000"
    return settings


def test_twilio_backend_sends_through_the_sdk_and_asks_for_delivery_reports(twilio_settings):
    twilio = LocalTwilio()

    sid = TwilioSmsBackend(http_client=twilio).send_sms(PHONE, TEXT)

    (request,) = twilio.requests
    assert request["method"] == "POST"
    assert request["uri"] == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request["data"]["From"] == "+15145550000"
    assert request["data"]["To"] == PHONE
    assert request["data"]["StatusCallback"] == twilio_settings.SITE_URL + STATUS_PATH
    assert sid == "SM0123456789abcdef"


def test_twilio_refusal_names_the_error_code_but_not_the_number(twilio_settings):
    refusal = {"code": 20429, "message": f"Too many requests for {PHONE}.", "status": 429}
    twilio = LocalTwilio(status=429, body=refusal)

    with pytest.raises(DeliveryError) as raised:
        TwilioSmsBackend(http_client=twilio).send_sms(PHONE, TEXT)

    assert str(raised.value) == "Twilio refused the message: HTTP 429, Twilio error 20429."
    assert not isinstance(raised.value, UndeliverableError)


def test_twilio_refusing_the_number_itself_gives_up_at_once(twilio_settings):
    refusal = {"code": 21211, "message": f"The 'To' number {PHONE} is not valid.", "status": 400}

    with pytest.raises(UndeliverableError) as raised:
        TwilioSmsBackend(http_client=LocalTwilio(400, refusal)).send_sms(PHONE, TEXT)

    assert PHONE not in str(raised.value)


def test_twilio_without_credentials_refuses_to_send(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(DeliveryError, match="not configured"):
        TwilioSmsBackend(http_client=LocalTwilio()).send_sms(PHONE, TEXT)
