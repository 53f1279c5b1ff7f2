"""Every change to outgoing messages: queue, deliver, sweep, retry, read."""

import datetime as dt
import logging
import random
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.notifications import tasks
from alongside.notifications.channels import DeliveryError, UndeliverableError, channel_for
from alongside.notifications.keys import (
    QUEUE_BATCH_SIZE,
    ids_with_keys,
    messages_with_keys,
    recorded_keys,
)
from alongside.notifications.models import (
    DELIVERABLE_STATUSES,
    Channel,
    MessageStatus,
    MessageTemplate,
    OutboxMessage,
)

if TYPE_CHECKING:
    from alongside.programs.models import Program

logger = logging.getLogger(__name__)

FIRST_RETRY_DELAY = dt.timedelta(seconds=30)
LONGEST_RETRY_DELAY = dt.timedelta(hours=1)
STUCK_SENDING_ERROR = "The worker stopped while sending."
SWEEP_BATCH_SIZE = 500
DELIVERY_BATCH_SIZE = 200  # messages a delivery task sends in turn: one task a batch, not each


class NotificationError(Exception):
    """A request about a message that cannot be honoured; the text is for people."""


def queue_message(
    *,
    channel: Channel | str,
    to_address: str,
    subject: str,
    body: str,
    idempotency_key: str,
    program: "Program | None" = None,
    recipient: User | None = None,
    kind: str = "",
) -> OutboxMessage:
    """Record one message, already written, in the caller's transaction; delivers it after commit.

    The outbox's own entry for one message: apps tell people through notify(), which writes
    the text in the recipient's language and applies a program's own wording. A second call
    with the same idempotency key returns the first message and queues nothing.
    """
    if channel == Channel.IN_APP and recipient is None:
        raise NotificationError(_("An in-app message needs a recipient."))
    if channel != Channel.IN_APP and not to_address:
        raise NotificationError(_("An e-mail or text message needs an address to go to."))
    message = OutboxMessage(
        kind=kind,
        channel=channel,
        to_address=to_address,
        subject=subject,
        body=body,
        idempotency_key=idempotency_key,
        program=program,
        recipient=recipient,
    )
    return queue_messages([message])[0]


def queue_messages(messages: Sequence[OutboxMessage]) -> list[OutboxMessage]:
    """Record new messages in a few queries, in the caller's transaction; delivers them after
    commit. A message whose idempotency key is already recorded is not recorded again: the
    recorded one is returned in its place, and only those recorded now are delivered.
    """
    keys = [message.idempotency_key for message in messages]
    with transaction.atomic():
        known = recorded_keys(keys)
        new = {
            message.idempotency_key: message
            for message in reversed(messages)  # the first of a repeated key stands
            if message.idempotency_key not in known
        }
        OutboxMessage.objects.bulk_create(
            list(new.values())[::-1],
            batch_size=QUEUE_BATCH_SIZE,
            # Another transaction may record the same key meanwhile: its message stands.
            ignore_conflicts=True,
        )
        # Only the ids are read back (not the messages, whose fields would all be decrypted).
        ids = ids_with_keys(list(new))
        for key, message in new.items():
            message.pk, message._state.adding = ids[key], False
            message._state.db = OutboxMessage.objects.db
        recorded = {message.idempotency_key: message for message in messages_with_keys(known)}
        recorded.update(new)
        new_ids = sorted(message.pk for message in new.values())
        if new_ids:
            transaction.on_commit(lambda: _enqueue_deliveries(new_ids))
    return [recorded[key] for key in keys]


def templates_for(*, kind: str, program: "Program | None") -> dict[str, MessageTemplate]:
    """The wording of this kind of message by language: the program's own, else every program's."""
    found = MessageTemplate.objects.filter(key=kind).filter(
        Q(program=program) | Q(program__isnull=True)
    )
    # The program's own wording comes last, so it wins over the one for every program.
    return {
        template.language: template
        for template in found.order_by(F("program").asc(nulls_first=True))
    }


def deliver_message(*, message_id: int) -> None:
    """Send one due message through its channel; marks it sent, failed (retry later) or dead
    (out of attempts, or unreadable with the current keys: audited either way).

    Claims the message first, so running it twice, even at the same time, sends once; the claim
    is a lease kept alive while the channel sends, so only a dead worker's message is taken back.
    """
    message = claim_message(message_id=message_id)
    if message is None:
        return
    try:
        with _lease_kept_alive(message):
            channel_for(message).send(message)
    except UndeliverableError as error:
        # Trying again cannot help; once the key is back, an administrator sends it again.
        _record_failure(message, reason=str(error), give_up=True)
    except DeliveryError as error:
        _record_failure(message, reason=str(error))
    except Exception as error:
        # An unexpected error from a backend: its text may quote personal data, keep its kind.
        logger.warning("Outbox message %s: unexpected %s.", message_id, type(error).__name__)
        _record_failure(message, reason=type(error).__name__)
    else:
        # Even when the lease was lost meanwhile, the message went out: never send it again.
        OutboxMessage.objects.filter(pk=message_id).update(
            status=MessageStatus.SENT, sent_at=timezone.now(), last_error="", lease_expires_at=None
        )


def lease_length() -> dt.timedelta:
    """How long a claim on a message holds unless renewed (settings.OUTBOX_LEASE_SECONDS)."""
    return dt.timedelta(seconds=max(settings.OUTBOX_LEASE_SECONDS, 0.1))


def claim_message(*, message_id: int) -> OutboxMessage | None:
    """Take a due message for sending, with a conditional UPDATE; None if it is not due or taken.

    The claim is a lease: it counts one attempt and holds for `lease_length()` unless renewed.
    """
    claimed_at = timezone.now()
    claimed = OutboxMessage.objects.filter(
        pk=message_id, status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=claimed_at
    ).update(
        status=MessageStatus.SENDING,
        attempts=F("attempts") + 1,
        claimed_at=claimed_at,
        lease_expires_at=claimed_at + lease_length(),
    )
    return OutboxMessage.objects.get(pk=message_id) if claimed else None


def renew_lease(*, message: OutboxMessage) -> bool:
    """Extend this claim's lease by `lease_length()`; False if the message is no longer ours."""
    # claimed_at identifies the claim: a message taken back and claimed again has a new one.
    return bool(
        OutboxMessage.objects.filter(
            pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at
        ).update(lease_expires_at=timezone.now() + lease_length())
    )


def requeue_overdue_messages() -> int:
    """Queue delivery of every overdue message; takes back messages whose lease has run out.

    A lease runs out only when its worker stopped renewing it (it died mid-send); such a message
    is due again at once. Returns how many deliveries were queued. Safe to run twice: delivery
    claims each message.
    """
    now = timezone.now()
    OutboxMessage.objects.filter(status=MessageStatus.SENDING, lease_expires_at__lt=now).update(
        status=MessageStatus.FAILED,
        next_attempt_at=now,
        lease_expires_at=None,
        last_error=STUCK_SENDING_ERROR,
    )
    due_ids = list(
        OutboxMessage.objects.filter(status__in=DELIVERABLE_STATUSES, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:SWEEP_BATCH_SIZE]
    )
    _enqueue_deliveries(due_ids)
    return len(due_ids)


@transaction.atomic
def retry_message(*, message: OutboxMessage, actor: User) -> OutboxMessage:
    """Send a failed or dead message again now, with a fresh set of attempts; audits the retry."""
    previous = {"status": message.status, "attempts": message.attempts}
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status__in=[MessageStatus.FAILED, MessageStatus.DEAD]
    ).update(
        status=MessageStatus.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
        delivery_report="",  # the provider reports afresh on the new sending
    )
    if not updated:
        raise NotificationError(_("Only a failed message can be sent again."))
    message.refresh_from_db()
    record_event(actor=actor, action="notifications.message.retried", target=message, data=previous)
    _enqueue_delivery(message.pk)
    return message


@transaction.atomic
def mark_read(*, message: OutboxMessage, user: User) -> OutboxMessage:
    """Mark an in-app message read by its recipient (the first reading counts; audited).

    An urgent alert stays at the top of the inbox until it is acknowledged as well.
    """
    _ensure_in_inbox(message, user)
    if _stamp_once(message, "read_at", timezone.now()):
        record_event(actor=user, action="notifications.message.read", target=message)
    return message


@transaction.atomic
def mark_all_read(*, user: User) -> int:
    """Mark every unread in-app message of the user read; returns how many (audited once)."""
    count = OutboxMessage.objects.filter(
        recipient=user, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now())
    if count:
        record_event(
            actor=user, action="notifications.inbox.read", target=user, data={"messages": count}
        )
    return count


@transaction.atomic
def acknowledge_message(*, message: OutboxMessage, user: User) -> OutboxMessage:
    """The recipient has seen an urgent alert: it leaves the top of their inbox (audited).

    Acknowledging twice, from two tabs, counts once.
    """
    _ensure_in_inbox(message, user)
    if not message.urgent:
        raise NotificationError(_("Only an urgent alert needs acknowledging."))
    now = timezone.now()
    acknowledged = _stamp_once(message, "acknowledged_at", now)
    _stamp_once(message, "read_at", now)
    if acknowledged:
        record_event(
            actor=user,
            action="notifications.message.acknowledged",
            target=message,
            data={"kind": message.kind},
        )
    return message


def _ensure_in_inbox(message: OutboxMessage, user: User) -> None:
    if message.channel != Channel.IN_APP or message.recipient_id != user.pk:
        raise NotificationError(_("This message is not in your inbox."))


def _stamp_once(message: OutboxMessage, field: str, now: dt.datetime) -> bool:
    """Set `field` (read_at, acknowledged_at) to `now` unless it is set: from two tabs at once,
    only one sets it. Whether this one did; `message` then holds the field as stored."""
    stamped = OutboxMessage.objects.filter(pk=message.pk, **{f"{field}__isnull": True}).update(
        **{field: now}
    )
    message.refresh_from_db(fields=[field])
    return bool(stamped)


def retry_delay(attempts: int) -> dt.timedelta:
    """30 s after the first attempt, doubling, at most an hour; jitter spreads a burst out."""
    doublings = min(max(attempts - 1, 0), 20)  # capped so the product cannot overflow
    delay = min(FIRST_RETRY_DELAY * (1 << doublings), LONGEST_RETRY_DELAY)
    return delay + delay * random.uniform(0, 0.1)


def _record_failure(message: OutboxMessage, *, reason: str, give_up: bool = False) -> None:
    gave_up = give_up or message.attempts >= message.max_attempts
    still_ours = Q(pk=message.pk, status=MessageStatus.SENDING, claimed_at=message.claimed_at)
    OutboxMessage.objects.filter(still_ours).update(
        status=MessageStatus.DEAD if gave_up else MessageStatus.FAILED,
        next_attempt_at=timezone.now() + retry_delay(message.attempts),
        lease_expires_at=None,
        last_error=reason[:300],
    )
    if gave_up:
        record_event(
            actor=None,
            action="notifications.message.dead",
            target=message,
            data={"attempts": message.attempts, "last_error": reason[:300]},
        )


def _enqueue_delivery(message_id: int) -> None:
    # The task backend hands the delivery to huey once the caller's transaction commits.
    tasks.deliver_message.enqueue(message_id)


def _enqueue_deliveries(message_ids: Sequence[int]) -> None:
    """One task a batch of messages: queueing a task costs as much as sending a message."""
    for start in range(0, len(message_ids), DELIVERY_BATCH_SIZE):
        tasks.deliver_messages.enqueue(list(message_ids[start : start + DELIVERY_BATCH_SIZE]))


def deliver_messages(*, message_ids: Sequence[int]) -> None:
    """Send each of these messages in turn, as deliver_message does; one that fails
    unexpectedly is left for the sweep and never stops the others."""
    for message_id in message_ids:
        try:
            deliver_message(message_id=message_id)
        except Exception as error:  # the sweep takes it again once its lease runs out
            logger.warning(
                "Outbox message %s: %s while delivering.", message_id, type(error).__name__
            )


@contextmanager
def _lease_kept_alive(message: OutboxMessage) -> Iterator[None]:
    """Renew the message's lease every third of its length, from a thread, while the block runs.

    A send that is slow but alive therefore keeps its message; a dead worker stops renewing.
    """
    if connection.in_atomic_block:
        # The claim is not committed yet (tests, immediate mode): no other worker can see it to
        # take it back, and another connection could not renew it.
        yield
        return
    stop = threading.Event()
    heartbeat = threading.Thread(
        target=_renew_until_stopped,
        args=(message, stop),
        name=f"outbox-lease-{message.pk}",
        daemon=True,
    )
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()


def _renew_until_stopped(message: OutboxMessage, stop: threading.Event) -> None:
    interval = lease_length().total_seconds() / 3
    try:
        while not stop.wait(interval):
            try:
                if not renew_lease(message=message):
                    logger.warning("Outbox message %s: its lease was lost mid-send.", message.pk)
                    return
            except DatabaseError as error:
                # Two more tries before the lease runs out; the send itself goes on.
                logger.warning(
                    "Outbox message %s: lease not renewed (%s).", message.pk, type(error).__name__
                )
    finally:
        connections.close_all()  # this thread's own connections


@transaction.atomic
def delete_message(*, message_id: int) -> int:
    """Delete one message past its program's retention; never one still being sent. How many
    were deleted (0 when it was already gone or is still on its way). The caller (privacy's
    retention) audits it."""
    deleted, _rows = (
        OutboxMessage.objects.filter(pk=message_id)
        .exclude(status__in=[*DELIVERABLE_STATUSES, MessageStatus.SENDING])
        .delete()
    )
    return deleted
