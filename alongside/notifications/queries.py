"""Reads of outgoing messages shared by pages, API, admin and tasks."""

from django.db.models import QuerySet

from alongside.accounts.models import User
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage


def inbox_for(user: User) -> QuerySet[OutboxMessage]:
    """The user's in-app messages, newest first."""
    return OutboxMessage.objects.filter(recipient=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


def failed_messages() -> QuerySet[OutboxMessage]:
    """Messages that failed and will retry, or that were given up on, for administrators."""
    return OutboxMessage.objects.filter(
        status__in=[MessageStatus.FAILED, MessageStatus.DEAD]
    ).order_by("-next_attempt_at", "-id")
