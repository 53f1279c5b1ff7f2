"""Reads of outgoing messages shared by pages, API, admin and tasks."""

from django.db.models import QuerySet

from alongside.accounts.models import Role, User
from alongside.accounts.queries import program_ids_for
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


# Never loaded for the administrators' page: only the message's recipient may read them.
SENSITIVE_FIELDS = ("to_address", "subject", "body")


def undelivered_messages_visible_to(user: User) -> QuerySet[OutboxMessage]:
    """Failed and given-up messages of the programs the user administers (a superuser sees
    every one, also those of no program), newest first, without their address or text."""
    messages = failed_messages().defer(*SENSITIVE_FIELDS).select_related("program")
    if not user.is_superuser:
        messages = messages.filter(program_id__in=program_ids_for(user, [Role.ADMINISTRATOR]))
    return messages.order_by("-created_at", "-id")
