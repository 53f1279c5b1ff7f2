import io
import json
import logging
import urllib.error
import urllib.request
from typing import Any

import pytest
from django.core import mail

from alongside.notifications import services
from alongside.notifications.channels import DeliveryError
from alongside.notifications.models import Channel, MessageStatus
from alongside.notifications.sms import FileSmsBackend, TwilioSmsBackend

PHONE = "+15145550123"
TEXT = "Your check-in with Alex is tomorrow at 10."


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


class FakeResponse(io.BytesIO):
    def __enter__(self) -> "FakeResponse":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def twilio_settings(settings):
    settings.TWILIO_ACCOUNT_SID = "AC123"
    settings.TWILIO_AUTH_TOKEN = "secret-token"
    settings.TWILIO_FROM_NUMBER = "+15145550000"
    return settings


def test_twilio_backend_posts_the_message_to_the_twilio_api(twilio_settings, monkeypatch):
    sent: list[urllib.request.Request] = []

    def fake_urlopen(request: urllib.request.Request, timeout: float) -> FakeResponse:
        sent.append(request)
        return FakeResponse(b'{"sid": "SM1"}')

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)

    TwilioSmsBackend().send_sms(PHONE, TEXT)

    (request,) = sent
    assert request.full_url == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
    assert request.get_method() == "POST"
    assert request.get_header("Authorization").startswith("Basic ")
    form = dict(item.split("=", 1) for item in request.data.decode().split("&"))
    assert form["From"] == "%2B15145550000"
    assert form["To"] == "%2B15145550123"


def test_twilio_refusal_names_the_error_code_but_not_the_number(twilio_settings, monkeypatch):
    def fake_urlopen(request: urllib.request.Request, timeout: float) -> FakeResponse:
        body = json.dumps({"code": 21211, "message": f"The 'To' number {PHONE} is not valid."})
        raise urllib.error.HTTPError(
            request.full_url, 400, "Bad Request", None, io.BytesIO(body.encode())
        )

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)

    with pytest.raises(DeliveryError) as raised:
        TwilioSmsBackend().send_sms(PHONE, TEXT)
    assert str(raised.value) == "Twilio refused the message: HTTP 400, Twilio error 21211."


def test_twilio_without_credentials_refuses_to_send(settings):
    settings.TWILIO_ACCOUNT_SID = ""
    with pytest.raises(DeliveryError, match="not configured"):
        TwilioSmsBackend().send_sms(PHONE, TEXT)
