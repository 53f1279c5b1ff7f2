"""Twilio's delivery reports: each text message's status, posted to our callback and signed.

Twilio signs every callback with the account's auth token over the URL and the posted fields
(X-Twilio-Signature); an unsigned or forged report changes nothing.
"""

from collections.abc import Mapping

from django.conf import settings
from twilio.request_validator import RequestValidator

from alongside.notifications.models import Channel, DeliveryReport
from alongside.notifications.providers.services import record_delivery_report

# Twilio's statuses that tell us something; queued, sending, sent and accepted change nothing.
REPORTS = {
    "delivered": DeliveryReport.DELIVERED,
    "read": DeliveryReport.DELIVERED,
    "undelivered": DeliveryReport.FAILED,
    "failed": DeliveryReport.FAILED,
}
# Twilio's error codes that blame the number itself (blocked, unknown or inactive, a landline,
# not a mobile, unsubscribed): it is marked undeliverable. Others (a handset switched off, a
# carrier's filter) give the message up but leave the number alone.
NUMBER_ERRORS = frozenset({"21211", "21610", "21612", "21614", "30004", "30005", "30006"})


def is_signed_by_twilio(url: str, fields: Mapping[str, str], signature: str) -> bool:
    """Whether Twilio signed these fields posted to this URL (never, without an auth token)."""
    token = getattr(settings, "TWILIO_AUTH_TOKEN", "")
    if not (token and signature):
        return False
    return bool(RequestValidator(token).validate(url, dict(fields), signature))


def record_sms_status(*, sid: str, status: str, error_code: str = "") -> None:
    """Record what Twilio reported about one text message (by its SID): delivered, or not."""
    report = REPORTS.get(status)
    if report is None or not sid:
        return
    code = error_code if error_code.isdigit() else ""
    record_delivery_report(
        channel=Channel.SMS,
        provider_message_id=sid,
        report=report,
        detail=f"Twilio error {code}" if code else "",
        mark_address=report == DeliveryReport.FAILED and code in NUMBER_ERRORS,
    )
