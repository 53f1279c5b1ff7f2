"""Digests: a coordinator is never flooded by one periodic run (ADR 0007).

A kind of message that alerts a program's coordinators of one item (a request past due, a
supporter paused) may name a `Digest`. Within a periodic run (`collecting`, which the runner
opens) the messages of such kinds are checked as they are queued and held; at the run's end,
in a transaction of its own, each recipient is told of a kind in a program one message per item
when they are FEW or fewer, else once: how many, the first NAMED of them, and the list that
holds them all. Outside a run (a page, the API, one item retried) every message goes at once.

A batch that raises holds nothing (`section`): its items are handled again one by one, and
what each of those holds is kept only if it succeeds. Urgent kinds cannot have a digest, and
a message to someone without an account (a peer) is always told on its own.
"""

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from alongside.core.lazy_text import filled, joined
from alongside.notifications.keys import recorded_keys
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.notify import (
    CHANNEL,
    HELD_FOR_DIGEST,
    RECIPIENT,
    Digest,
    Notice,
    Planned,
    plan,
    queue_planned,
)

# Up to this many items of a kind in a run, a coordinator reads each alert (each carries its
# detail); past it, alerts one by one are a flood skimmed rather than read, and the list is the
# better tool, so one digest points to it. With 3, a digest always replaces at least 4 alerts.
FEW = 3
NAMED = 5  # the items a digest names, in the order they fell due

GroupKey = tuple[int, str, int]  # recipient, kind, program


@contextmanager
def collecting() -> Iterator[None]:
    """Hold the run's messages that have a digest; at its end, queue them (or their digests)
    in their own transaction, even when the run stopped on an error (what committed is told)."""
    held: list[Planned] = []
    token = HELD_FOR_DIGEST.set(held)
    try:
        yield
    finally:
        HELD_FOR_DIGEST.reset(token)
        tell_held(held)


@contextmanager
def section() -> Iterator[None]:
    """A batch (or an item) of a run: what it holds is kept only if it ends without an error,
    as its transaction commits only then. Outside a run, nothing."""
    outer = HELD_FOR_DIGEST.get()
    if outer is None:
        yield
        return
    inner: list[Planned] = []
    token = HELD_FOR_DIGEST.set(inner)
    try:
        yield
    finally:
        HELD_FOR_DIGEST.reset(token)
    outer.extend(inner)


def tell_held(held: Sequence[Planned]) -> list[OutboxMessage]:
    """Queue the held messages: each recipient's few one by one, their many as one digest."""
    if not held:
        return []
    with transaction.atomic():
        return queue_planned(_told(held))


def _told(held: Sequence[Planned]) -> list[Planned]:
    """The messages to write: the few as they are, a digest in place of the many.

    Those already queued (a run done again) are left out before counting."""
    known = recorded_keys([each.key for each in held])
    told: list[Planned] = []
    groups: dict[GroupKey, list[Planned]] = {}
    for each in held:
        if each.key in known:
            continue
        user, program = each.contact.user, each.notice.program
        if user is None or program is None:
            told.append(each)
            continue
        groups.setdefault((user.pk, each.notice.kind.key, program.pk), []).append(each)
    for group in groups.values():
        notices = list({id(each.notice): each.notice for each in group}.values())
        told.extend(group if len(notices) <= FEW else plan(_digest_of(group, notices)))
    return told


def _digest_of(group: Sequence[Planned], notices: Sequence[Notice]) -> Notice:
    """One recipient's digest of the notices, on the channels they would have come by."""
    first = group[0]
    digest = first.notice.kind.digest
    program = first.notice.program
    assert digest is not None
    assert program is not None
    path = digest.link_to(program)
    channels: list[Channel] = list(dict.fromkeys(each.channel for each in group))
    fingerprint = hashlib.sha256("\n".join(sorted(each.key for each in group)).encode())
    return Notice(
        kind=digest.kind,
        recipients=[first.contact],
        context={
            "count": len(notices),
            "items": _items(digest, notices),
            "link": settings.SITE_URL + path,
        },
        idempotency_key=(
            digest.kind.key,
            program.pk,
            fingerprint.hexdigest()[:16],
            RECIPIENT,
            CHANNEL,
        ),
        channels=channels,
        program=program,
        link=path,
    )


def _items(digest: Digest, notices: Sequence[Notice]) -> object:
    """The first few items by their labels, and how many more: in each reader's language."""
    named = joined(_(", "), [filled(digest.label, notice.context) for notice in notices[:NAMED]])
    more = len(notices) - NAMED
    if more <= 0:
        return named
    return filled(_("%(items)s and %(more)s more"), {"items": named, "more": more})
