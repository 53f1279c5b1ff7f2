"""E-mail providers' tracking events, through django-anymail's webhooks and its signal.

Anymail turns each ESP's webhook (Postmark, Mailgun, SES, SendGrid…) into one normalised event;
this receiver records what it says about our messages. Anymail's view checks the webhook's
basic-auth secret (ANYMAIL_WEBHOOK_SECRET) and the ESP's own signature before the event gets here.
"""

from typing import Any

from alongside.notifications.models import Channel, DeliveryReport
from alongside.notifications.providers.services import record_delivery_report

# Anymail's event types that tell us something; the rest (queued, sent, deferred, opened,
# clicked…) change nothing. "failed" is the ESP's own failure to send: the message is given up,
# the address is not to blame.
REPORTS = {
    "delivered": DeliveryReport.DELIVERED,
    "bounced": DeliveryReport.BOUNCED,
    "rejected": DeliveryReport.REJECTED,
    "complained": DeliveryReport.COMPLAINED,
    "failed": DeliveryReport.FAILED,
}


def on_tracking_event(sender: object, event: Any, esp_name: str, **kwargs: object) -> None:
    """anymail.signals.tracking's receiver (connected in NotificationsConfig.ready)."""
    report = REPORTS.get(str(event.event_type))
    if report is None:
        return
    record_delivery_report(
        channel=Channel.EMAIL,
        provider_message_id=str(event.message_id or ""),
        report=report,
        address=str(event.recipient or ""),
        detail=_detail(esp_name, event),
    )


def _detail(esp_name: str, event: Any) -> str:
    """The ESP's name and its reason code ("Postmark: bounced"): never its description, which
    may quote the address."""
    reason = str(event.reject_reason or "")
    return f"{esp_name}: {reason}" if reason else str(esp_name)
