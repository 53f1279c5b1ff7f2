"""SMS backends, chosen with settings.SMS_BACKEND (an import path).

Phone numbers and message text are personal data: no backend writes them to a log.
"""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.utils import timezone

from alongside.notifications.channels import DeliveryError

logger = logging.getLogger("alongside.sms")


class SmsBackend(Protocol):
    def send_sms(self, to: str, body: str) -> None:
        """Send one text message; raise DeliveryError if it did not go out."""


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
    """Sends through Twilio's REST API (no SDK): TWILIO_ACCOUNT_SID, _AUTH_TOKEN, _FROM_NUMBER."""

    api_root = "https://api.twilio.com/2010-04-01"
    timeout_seconds = 10

    def __init__(self) -> None:
        self.account_sid: str = getattr(settings, "TWILIO_ACCOUNT_SID", "")
        self.auth_token: str = getattr(settings, "TWILIO_AUTH_TOKEN", "")
        self.from_number: str = getattr(settings, "TWILIO_FROM_NUMBER", "")

    def send_sms(self, to: str, body: str) -> None:
        if not (self.account_sid and self.auth_token and self.from_number):
            raise DeliveryError("Twilio is not configured.")
        url = f"{self.api_root}/Accounts/{urllib.parse.quote(self.account_sid)}/Messages.json"
        data = urllib.parse.urlencode({"To": to, "From": self.from_number, "Body": body})
        credentials = base64.b64encode(f"{self.account_sid}:{self.auth_token}".encode()).decode()
        request = urllib.request.Request(  # noqa: S310  (a fixed https URL)
            url,
            data=data.encode(),
            headers={"Authorization": f"Basic {credentials}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as error:
            raise DeliveryError(
                f"Twilio refused the message: HTTP {error.code}{_twilio_code(error)}."
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise DeliveryError(f"Twilio could not be reached ({type(error).__name__}).") from error


def _twilio_code(error: urllib.error.HTTPError) -> str:
    """Twilio's numeric error code from the response, which names the problem without data."""
    try:
        code = json.loads(error.read()).get("code")
    except (ValueError, OSError, AttributeError):
        return ""
    return f", Twilio error {int(code)}" if isinstance(code, int) else ""


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
