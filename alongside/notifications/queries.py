"""Reads of outgoing messages shared by pages, API, admin and tasks."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, Q, QuerySet, Value, When

from alongside.accounts.models import Role, User
from alongside.notifications.models import (
    DELIVERABLE_STATUSES,
    Channel,
    MessageStatus,
    OutboxMessage,
)
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


def overdue_message_count(*, due_before: dt.datetime, at_most: int) -> int:
    """Messages still to send whose time came before `due_before`, counted up to `at_most`
    (the sweep's partial index: a backlog of any size costs the same), for /health/ready."""
    overdue = OutboxMessage.objects.filter(
        status__in=DELIVERABLE_STATUSES, next_attempt_at__lt=due_before
    )
    return overdue.order_by().values("pk")[:at_most].count()


def given_up_message_count(*, since: dt.datetime, at_most: int) -> int:
    """Messages given up on since about `since`, counted up to `at_most`, for /health/ready.
    A message given up on keeps the time its next attempt would have had (at most an hour and
    six minutes after its last), so "since" is that close. Webhooks are left out: a partner's
    server that is down is theirs to fix, shown on the program's page of deliveries given up,
    and must not make this installation look unready."""
    given_up = OutboxMessage.objects.filter(
        status=MessageStatus.DEAD, next_attempt_at__gte=since
    ).exclude(channel=Channel.WEBHOOK)
    return given_up.order_by().values("pk")[:at_most].count()
