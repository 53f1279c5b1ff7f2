"""How a webhook leaves: signed (Standard Webhooks), posted once, 2xx or it is tried again.

The outbox delivers it like any message (claim, lease, retries with backoff, given up after
the last attempt, the sweep): this is its channel. The signature covers "id.timestamp.body"
with HMAC-SHA256 (the `standardwebhooks` package), under the endpoint's secret and, while a
rotation's grace lasts, its previous one too: the header then carries both signatures, so a
receiver holding either verifies it. The timestamp is the attempt's, so an old delivery
replayed later fails the receiver's five-minute window.
"""

import datetime as dt
import http.client
import socket
from urllib.parse import urlsplit

from django.utils import timezone
from standardwebhooks import Webhook

from alongside.core.encryption import is_unreadable
from alongside.notifications.channels import (
    UNREADABLE_ERROR,
    DeliveryError,
    UndeliverableError,
    ensure_readable,
)
from alongside.notifications.models import OutboxMessage
from alongside.notifications.webhooks.addresses import AddressRefusedError, public_address
from alongside.notifications.webhooks.models import WebhookDelivery, WebhookEndpoint

TIMEOUT_SECONDS = 10
USER_AGENT = "Alongside-Webhooks/1"


class WebhookChannel:
    def send(self, message: OutboxMessage) -> None:
        ensure_readable(message)
        delivery = (
            WebhookDelivery.objects.select_related("endpoint").filter(message=message).first()
        )
        if delivery is None:
            raise UndeliverableError("No endpoint: it was removed")
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            raise UndeliverableError("The endpoint is turned off")
        if is_unreadable(endpoint.secret):
            raise UndeliverableError(UNREADABLE_ERROR)
        now = timezone.now()
        headers = signed_headers(
            secrets=signing_secrets(endpoint, now=now),
            event_id=delivery.event_id,
            body=message.body,
            at=now,
        )
        post(endpoint.url, body=message.body, headers=headers)


def signing_secrets(endpoint: WebhookEndpoint, *, now: dt.datetime) -> list[str]:
    """The secrets that sign now: the current one, and the previous one during its grace."""
    secrets = [endpoint.secret]
    expires = endpoint.previous_secret_expires_at
    previous = endpoint.previous_secret
    if previous and not is_unreadable(previous) and expires is not None and expires > now:
        secrets.append(previous)
    return secrets


def signed_headers(
    *, secrets: list[str], event_id: str, body: str, at: dt.datetime
) -> dict[str, str]:
    """The Standard Webhooks headers: the id, the time in seconds, one signature a secret."""
    # sign() reads the time as UTC whatever its zone says: hand it UTC.
    moment = dt.datetime.fromtimestamp(int(at.timestamp()), tz=dt.UTC)
    signatures = [Webhook(secret).sign(event_id, moment, body) for secret in secrets]
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(signatures),
    }


def post(url: str, *, body: str, headers: dict[str, str]) -> None:
    """POST the body to the address it was checked for; DeliveryError unless it answers 2xx.

    The connection goes to the address `public_address` vetted, never to a second lookup of
    the name; redirects are not followed (a 3xx is a failure).
    """
    parts = urlsplit(url)
    host = parts.hostname or ""
    secure = parts.scheme == "https"
    port = parts.port or (443 if secure else 80)
    try:
        address = public_address(host, port)
    except AddressRefusedError as error:
        raise UndeliverableError(str(error)) from error
    except OSError as error:
        raise DeliveryError("The host's name did not resolve") from error
    connection = _connection(host, port, secure=secure, address=address)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request(
            "POST",
            path,
            body=body.encode(),
            headers={"Content-Type": "application/json", "User-Agent": USER_AGENT} | headers,
        )
        status = connection.getresponse().status
    except TimeoutError as error:
        raise DeliveryError("Timed out") from error
    except OSError as error:
        raise DeliveryError(type(error).__name__) from error
    finally:
        connection.close()
    if not 200 <= status < 300:
        raise DeliveryError(f"HTTP {status}")


def _connection(host: str, port: int, *, secure: bool, address: str) -> http.client.HTTPConnection:
    connection: http.client.HTTPConnection = (
        http.client.HTTPSConnection(host, port, timeout=TIMEOUT_SECONDS)
        if secure
        else http.client.HTTPConnection(host, port, timeout=TIMEOUT_SECONDS)
    )

    # The TLS handshake still names and verifies `host`; only the socket goes to `address`.
    def connect_to_vetted_address(
        _where: tuple[str, int], timeout: float, source: tuple[str, int] | None = None
    ) -> socket.socket:
        return socket.create_connection((address, port), timeout, source)

    connection._create_connection = connect_to_vetted_address  # type: ignore[attr-defined]
    return connection
