"""Reads of outgoing messages shared by pages, API, admin and tasks."""

from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from alongside.accounts.models import Role, User
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.programs.queries import program_ids_for

# An urgent alert not acknowledged yet: it stays at the top of the inbox.
NEEDS_ACKNOWLEDGING = Q(urgent=True, acknowledged_at__isnull=True)


def inbox_for(user: User) -> QuerySet[OutboxMessage]:
    """The user's in-app messages: urgent alerts waiting to be acknowledged first, then the
    rest, newest first."""
    return (
        OutboxMessage.objects.filter(recipient=user, channel=Channel.IN_APP)
        .select_related("program")
        .alias(waiting=Case(When(NEEDS_ACKNOWLEDGING, then=Value(0)), default=Value(1)))
        .order_by("waiting", "-created_at", "-id")
    )


@dataclass(frozen=True)
class InboxCount:
    unread: int
    urgent: int  # urgent alerts not acknowledged yet, read or not


def inbox_count_for(user: User) -> InboxCount:
    """How many of the user's in-app messages are unread, and how many are urgent alerts
    waiting to be acknowledged: one query, for the header of every page."""
    counts = OutboxMessage.objects.filter(recipient=user, channel=Channel.IN_APP).aggregate(
        unread=Count("pk", filter=Q(read_at__isnull=True)),
        urgent=Count("pk", filter=NEEDS_ACKNOWLEDGING),
    )
    return InboxCount(unread=counts["unread"], urgent=counts["urgent"])


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
