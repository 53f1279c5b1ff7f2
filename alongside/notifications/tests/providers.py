"""Stand-ins for the providers in tests: Twilio's API answered locally, their webhooks signed."""

import base64
import json
from typing import Any

from django.conf import settings
from twilio.http import HttpClient
from twilio.http.response import Response
from twilio.request_validator import RequestValidator

TWILIO_TOKEN = "secret-token"


class LocalTwilio(HttpClient):
    """Twilio's REST API answered in the test: records each request, answers `status`/`body`."""

    def __init__(self, status: int = 201, body: dict[str, Any] | None = None) -> None:
        super().__init__(logger=None, is_async=False)  # type: ignore[arg-type]
        self.status, self.body = status, body or {"sid": "SM0123456789abcdef", "status": "queued"}
        self.requests: list[dict[str, Any]] = []

    def request(self, method: str, uri: str, **kwargs: Any) -> Response:  # type: ignore[override]
        self.requests.append({"method": method, "uri": uri, **kwargs})
        return Response(self.status, json.dumps(self.body))


def twilio_signature(url: str, fields: dict[str, str], token: str = TWILIO_TOKEN) -> str:
    return str(RequestValidator(token).compute_signature(url, fields))


def webhook_auth(secret: str | None = None) -> dict[str, str]:
    secret = secret or settings.ANYMAIL["WEBHOOK_SECRET"]
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(secret.encode()).decode()}


def postmark_bounce(*, message_id: str, email: str, kind: str = "HardBounce") -> dict[str, Any]:
    """A Postmark bounce webhook's body, as Postmark documents it."""
    return {
        "RecordType": "Bounce" if kind != "SpamComplaint" else "SpamComplaint",
        "MessageStream": "outbound",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "",
        "MessageID": message_id,
        "Metadata": {},
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user).",
        "Details": f"smtp;550 5.1.1 The email account {email} does not exist",
        "Email": email,
        "From": "no-reply@example.org",
        "BouncedAt": "2026-11-05T16:33:54.9070259Z",
        "DumpAvailable": False,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Meet your peer supporter",
    }


def postmark_delivery(*, message_id: str, email: str) -> dict[str, Any]:
    return {
        "RecordType": "Delivery",
        "ServerID": 23,
        "MessageStream": "outbound",
        "MessageID": message_id,
        "Recipient": email,
        "Tag": "",
        "DeliveredAt": "2026-11-05T16:33:54Z",
        "Details": "Test delivery webhook details",
        "Metadata": {},
    }
