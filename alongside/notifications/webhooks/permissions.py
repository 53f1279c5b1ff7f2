from django.shortcuts import get_object_or_404

from alongside.accounts.models import User
from alongside.notifications.models import OutboxMessage
from alongside.notifications.webhooks.models import WebhookEndpoint
from alongside.notifications.webhooks.queries import (
    endpoints_administered_by,
    given_up_webhooks_administered_by,
)


def get_endpoint_for(user: User, endpoint_id: int) -> WebhookEndpoint:
    """An endpoint of a program the user administers (404 otherwise)."""
    return get_object_or_404(endpoints_administered_by(user), pk=endpoint_id)


def get_given_up_webhook_for(user: User, message_id: int) -> OutboxMessage:
    """A given-up webhook delivery of a program the user administers (404 otherwise)."""
    return get_object_or_404(given_up_webhooks_administered_by(user), pk=message_id)
