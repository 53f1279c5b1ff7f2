"""A message whose address, subject or text no field key opens is never handed to a backend:
it is given up at once, audited, and can be sent again once the key is back."""

from typing import ClassVar

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core import mail
from django.test import override_settings

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications import services
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage

RETIRED_KEY = Fernet.generate_key().decode()
UNREADABLE_ERROR = "Cannot be read: key missing"

pytestmark = pytest.mark.django_db


class RecordingSmsBackend:
    sent: ClassVar[list[tuple[str, str]]] = []

    def send_sms(self, to: str, body: str) -> None:
        self.sent.append((to, body))


@pytest.fixture(autouse=True)
def recorded_sms(settings) -> list[tuple[str, str]]:
    settings.SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    RecordingSmsBackend.sent = []
    return RecordingSmsBackend.sent


def stored_message(channel: Channel, *, retired: set[str], key: str = "intro:1") -> OutboxMessage:
    """A due message whose fields named in `retired` were encrypted with a key since retired."""
    values = {"to_address": "+15145550123", "subject": "", "body": "Alex will call you."}
    if channel == Channel.EMAIL:
        values.update(to_address="sam.peer@example.org", subject="Meet your peer supporter")
    message = OutboxMessage.objects.create(
        channel=channel, idempotency_key=f"{key}:{channel}", **values
    )
    with override_settings(FIELD_ENCRYPTION_KEYS=[RETIRED_KEY]):
        message.save(update_fields=sorted(retired))
    return message


@pytest.mark.parametrize("retired", [{"to_address"}, {"subject"}, {"body"}])
def test_an_email_no_key_can_read_is_given_up_at_once_and_never_sent(retired, recorded_sms):
    message = stored_message(Channel.EMAIL, retired=retired)

    services.deliver_message(message_id=message.pk)

    message.refresh_from_db()
    assert mail.outbox == []
    assert message.status == MessageStatus.DEAD
    assert message.attempts == 1
    assert message.last_error == UNREADABLE_ERROR
    event = AuditEvent.objects.get(action="notifications.message.dead")
    assert event.target_id == str(message.pk)
    assert event.data == {"attempts": 1, "last_error": UNREADABLE_ERROR}


@pytest.mark.parametrize("retired", [{"to_address"}, {"body"}])
def test_a_text_message_no_key_can_read_never_reaches_the_sms_backend(retired, recorded_sms):
    message = stored_message(Channel.SMS, retired=retired)

    services.deliver_message(message_id=message.pk)

    message.refresh_from_db()
    assert recorded_sms == []
    assert message.status == MessageStatus.DEAD
    assert message.last_error == UNREADABLE_ERROR
    assert AuditEvent.objects.filter(action="notifications.message.dead").count() == 1


def test_the_sweep_does_not_try_an_unreadable_message_again(django_capture_on_commit_callbacks):
    message = stored_message(Channel.EMAIL, retired={"to_address"})
    services.deliver_message(message_id=message.pk)

    with django_capture_on_commit_callbacks(execute=True):
        services.requeue_overdue_messages()

    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    assert message.attempts == 1


def test_once_the_key_is_back_an_administrator_sends_it_again(
    django_capture_on_commit_callbacks,
):
    administrator = User.objects.create_user(email="admin@example.org", password="x" * 12)
    message = stored_message(Channel.EMAIL, retired={"to_address", "body"})
    services.deliver_message(message_id=message.pk)

    keys = [*django_settings.FIELD_ENCRYPTION_KEYS, RETIRED_KEY]
    with (
        override_settings(FIELD_ENCRYPTION_KEYS=keys),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.retry_message(message=message, actor=administrator)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert mail.outbox[0].to == ["sam.peer@example.org"]
    assert mail.outbox[0].body == "Alex will call you."


def test_a_readable_message_still_goes_out(recorded_sms):
    message = stored_message(Channel.SMS, retired=set())

    services.deliver_message(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert recorded_sms == [("+15145550123", "Alex will call you.")]
