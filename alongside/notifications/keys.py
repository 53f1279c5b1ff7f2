"""The outbox's messages read by their idempotency keys, in batches a database accepts."""

from collections.abc import Callable, Collection, Sequence

from alongside.notifications.models import OutboxMessage

QUEUE_BATCH_SIZE = 1000


def recorded_keys(keys: Sequence[str]) -> set[str]:
    """Which of these idempotency keys the outbox has recorded already."""
    return set(_in_batches(keys, _keys_recorded))


def messages_with_keys(keys: Collection[str]) -> list[OutboxMessage]:
    """The messages recorded with these idempotency keys."""
    return _in_batches(sorted(keys), _messages_with)


def ids_with_keys(keys: Sequence[str]) -> dict[str, int]:
    """The ids of the messages recorded with these idempotency keys, by key."""
    return dict(_in_batches(keys, _ids_with))


def _keys_recorded(keys: Sequence[str]) -> list[str]:
    return list(
        OutboxMessage.objects.filter(idempotency_key__in=keys).values_list(
            "idempotency_key", flat=True
        )
    )


def _ids_with(keys: Sequence[str]) -> list[tuple[str, int]]:
    return list(
        OutboxMessage.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", "pk")
    )


def _messages_with(keys: Sequence[str]) -> list[OutboxMessage]:
    # Their encrypted fields are read (and decrypted) only if asked for: a rerun that finds
    # thousands of messages queued already rarely needs their text.
    return list(
        OutboxMessage.objects.filter(idempotency_key__in=keys).defer(
            "to_address", "subject", "body"
        )
    )


def _in_batches[T](keys: Sequence[str], read: Callable[[Sequence[str]], list[T]]) -> list[T]:
    """Read by key in batches: a database takes only so many parameters in one query."""
    found: list[T] = []
    for start in range(0, len(keys), QUEUE_BATCH_SIZE):
        found.extend(read(keys[start : start + QUEUE_BATCH_SIZE]))
    return found
