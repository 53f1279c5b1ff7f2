"""SMS backends, chosen with settings.SMS_BACKEND (an import path).

Phone numbers and message text are personal data: no backend writes them to a log.
"""

import json
import logging
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http import HttpClient
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from alongside.notifications.channels import DeliveryError, UndeliverableError

logger = logging.getLogger("alongside.sms")


class SmsBackend(Protocol):
    def send_sms(self, to: str, body: str) -> str | None:
        """Send one text message; raise DeliveryError if it did not go out. Returns the
        provider's id for it, when the provider reports its delivery."""


class ConsoleSmsBackend:
    """Sends nothing; logs that a message would have gone out, without number or text."""

    def send_sms(self, to: str, body: str) -> None:
        logger.info("SMS not sent (console backend): %d characters.", len(body))


class FileSmsBackend:
    """Appends each message as a JSON line to var/sms.log, for demos and tests."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or Path(getattr(settings, "SMS_FILE_PATH", settings.VAR_DIR / "sms.log"))

    def send_sms(self, to: str, body: str) -> None:
        line = json.dumps({"at": timezone.now().isoformat(), "to": to, "body": body})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as file:
            file.write(line + "\n")


class TwilioSmsBackend:
    """Sends through Twilio's SDK: TWILIO_ACCOUNT_SID, _AUTH_TOKEN and _FROM_NUMBER. Twilio
    reports each message's delivery to our status callback, signed with the auth token
    (notifications/providers/sms_status.py). Returns the message's SID, to tie the report back.
    """

    timeout_seconds = 10

    def __init__(self, http_client: HttpClient | None = None) -> None:
        self.account_sid: str = getattr(settings, "TWILIO_ACCOUNT_SID", "")
        self.auth_token: str = getattr(settings, "TWILIO_AUTH_TOKEN", "")
        self.from_number: str = getattr(settings, "TWILIO_FROM_NUMBER", "")
        # Tests pass a client of their own: nothing leaves the machine.
        self.http_client = http_client or TwilioHttpClient(timeout=self.timeout_seconds)

    def send_sms(self, to: str, body: str) -> str:
        if not (self.account_sid and self.auth_token and self.from_number):
            raise DeliveryError("Twilio is not configured.")
        client = Client(self.account_sid, self.auth_token, http_client=self.http_client)
        try:
            sent = client.messages.create(
                to=to, from_=self.from_number, body=body, status_callback=status_callback_url()
            )
        except TwilioRestException as error:
            # Twilio's own text quotes the number: keep its status and code only.
            code = error.code if isinstance(error.code, int) else None
            reason = f"Twilio refused the message: HTTP {error.status}"
            reason += f", Twilio error {code}." if code is not None else "."
            if code in REFUSED_NUMBER_ERRORS:
                raise UndeliverableError(reason) from error
            raise DeliveryError(reason) from error
        except (TwilioException, OSError) as error:  # requests' errors are OSErrors
            raise DeliveryError(f"Twilio could not be reached ({type(error).__name__}).") from error
        return str(sent.sid)


# Twilio's codes for a number that cannot receive text messages (invalid, not a mobile, has
# replied STOP): sending again cannot help.
REFUSED_NUMBER_ERRORS = frozenset({21211, 21610, 21612, 21614})


def status_callback_url() -> str:
    """Where Twilio reports each message's delivery; its signature covers this whole URL."""
    return f"{settings.SITE_URL}{reverse('notifications:sms_status')}"


# GSM 03.38, the alphabet a text message is sent in when it can be: 160 characters a part.
GSM_CHARACTERS = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_ESCAPED = frozenset("^{}\\[~]|€\f")  # two characters' room each


def parts_of(text: str) -> int:
    """How many parts a text message of this text is sent in.

    A part holds 160 characters of the GSM alphabet, 153 when there are several; a single letter
    outside it (ê, ç, œ, an emoji) sends the whole message as Unicode: 70 a part, 67 when several.
    """
    if all(character in GSM_CHARACTERS or character in GSM_ESCAPED for character in text):
        length = len(text) + sum(character in GSM_ESCAPED for character in text)
        alone, each = 160, 153
    else:
        length = len(text.encode("utf-16-le")) // 2
        alone, each = 70, 67
    return 1 if length <= alone else -(-length // each)
