"""Reads of a program's webhooks, for its administrators' pages."""

from django.db.models import QuerySet

from alongside.accounts.models import Role, User
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.queries import SENSITIVE_FIELDS
from alongside.notifications.webhooks.models import WebhookEndpoint
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for

SECRETS = ("secret", "previous_secret")
RECENT_DELIVERIES = 10


def endpoints_of(program: Program) -> QuerySet[WebhookEndpoint]:
    """The program's endpoints by name, without their secrets (never decrypted for a list)."""
    return WebhookEndpoint.objects.filter(program=program).defer(*SECRETS).order_by("name", "pk")


def endpoints_administered_by(user: User) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        program_id__in=program_ids_for(user, [Role.ADMINISTRATOR])
    ).select_related("program")


def webhook_messages() -> QuerySet[OutboxMessage]:
    """Webhook deliveries, with their endpoint, without the message's address or body."""
    return (
        OutboxMessage.objects.filter(channel=Channel.WEBHOOK, webhook_delivery__isnull=False)
        .defer(*SENSITIVE_FIELDS)
        .select_related("webhook_delivery__endpoint")
        .defer(*(f"webhook_delivery__endpoint__{field}" for field in SECRETS))
    )


def given_up_webhooks_of(program: Program) -> QuerySet[OutboxMessage]:
    """The program's dead letters: webhook deliveries given up after their last attempt (or
    refused outright), most recently given up first."""
    return (
        webhook_messages()
        .filter(program=program, status=MessageStatus.DEAD)
        .order_by("-next_attempt_at", "-pk")
    )


def given_up_webhooks_administered_by(user: User) -> QuerySet[OutboxMessage]:
    return webhook_messages().filter(
        program_id__in=program_ids_for(user, [Role.ADMINISTRATOR]), status=MessageStatus.DEAD
    )


def recent_deliveries_to(endpoint: WebhookEndpoint) -> list[OutboxMessage]:
    """The endpoint's last few deliveries, newest first, whatever their state."""
    return list(
        webhook_messages()
        .filter(webhook_delivery__endpoint=endpoint)
        .order_by("-created_at", "-pk")[:RECENT_DELIVERIES]
    )
