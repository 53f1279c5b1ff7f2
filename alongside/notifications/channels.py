"""How a message leaves: one channel per kind of message, each with `send(message)`.

A channel raises DeliveryError when the message did not go out. Its text is stored on the
message, so it names what went wrong and never contains the address or the body. It raises
UndeliverableError when trying again cannot help: an address, subject or text that no field key
opens is never handed to a backend, which would send the "cannot be read" marker to nobody.
"""

import hashlib
from email.utils import parseaddr
from typing import TYPE_CHECKING, Protocol
from urllib.parse import urlsplit

from anymail.exceptions import AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

from alongside.core.encryption import is_unreadable
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.providers.queries import undeliverable_reason

if TYPE_CHECKING:
    from alongside.notifications.sms import SmsBackend


# Stored on the message for administrators, like the backends' own errors: not translated.
UNREADABLE_ERROR = "Cannot be read: key missing"


class DeliveryError(Exception):
    """The message was not delivered this time; the text is safe to store and show."""


class UndeliverableError(DeliveryError):
    """The message cannot go out as it is stored; trying again would not help."""


def ensure_readable(message: OutboxMessage) -> None:
    if any(is_unreadable(value) for value in (message.to_address, message.subject, message.body)):
        raise UndeliverableError(UNREADABLE_ERROR)


class MessageChannel(Protocol):
    def send(self, message: OutboxMessage) -> None: ...


def ensure_deliverable(message: OutboxMessage) -> None:
    """Nothing goes to an address that bounced or complained until a coordinator clears it."""
    reason = undeliverable_reason(str(message.to_address))
    if reason is not None:
        raise UndeliverableError(reason)


def keep_provider_id(message: OutboxMessage, provider_message_id: object) -> None:
    """Keep the provider's id of a message that left, to tie its later reports back to it."""
    if provider_message_id not in (None, ""):  # anymail's test backend numbers from 0
        OutboxMessage.objects.filter(pk=message.pk).update(
            provider_message_id=str(provider_message_id)[:200]
        )


class EmailChannel:
    def send(self, message: OutboxMessage) -> None:
        ensure_readable(message)
        ensure_deliverable(message)
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers={"Auto-Submitted": "auto-generated", "Message-ID": message_id_for(message)},
        )
        try:
            email.send(fail_silently=False)
        except AnymailRecipientsRefused as error:
            # The ESP refused the address itself (invalid, or on its suppression list).
            raise UndeliverableError("The provider refused the address.") from error
        except Exception as error:
            # The exception's own text may quote the address; keep only its kind and code.
            code = getattr(error, "smtp_code", None)
            reason = type(error).__name__ + (f" ({code})" if code else "")
            raise DeliveryError(reason) from error
        # An anymail backend says which id the ESP gave it; SMTP says nothing.
        keep_provider_id(message, getattr(getattr(email, "anymail_status", None), "message_id", ""))


def message_id_for(message: OutboxMessage) -> str:
    """The e-mail's Message-ID, the same on every attempt, so a receiver can spot a duplicate.

    It is a hash of the idempotency key (which must not show its ids) and of the row's creation
    time (so a database restored or reset never reuses an id for a different message).
    """
    source = f"{message.idempotency_key}|{message.created_at.isoformat()}"
    digest = hashlib.sha256(source.encode()).hexdigest()[:32]
    return f"<{digest}@{_mail_domain()}>"


def _mail_domain() -> str:
    _user, at, domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")
    return (domain if at else "") or urlsplit(settings.SITE_URL).hostname or "localhost"


class SmsChannel:
    def send(self, message: OutboxMessage) -> None:
        ensure_readable(message)
        ensure_deliverable(message)
        backend: SmsBackend = import_string(settings.SMS_BACKEND)()
        keep_provider_id(message, backend.send_sms(message.to_address, message.body))


class InAppChannel:
    """In-app messages are shown in the recipient's inbox; having the row is delivery."""

    def send(self, message: OutboxMessage) -> None:
        return None


CHANNELS: dict[str, MessageChannel] = {
    Channel.EMAIL: EmailChannel(),
    Channel.SMS: SmsChannel(),
    Channel.IN_APP: InAppChannel(),
}


def channel_for(message: OutboxMessage) -> MessageChannel:
    return CHANNELS[message.channel]
