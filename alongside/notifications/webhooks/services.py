"""Every change to a program's webhooks: endpoints, their secrets, and the events they are told.

`emit_event` is how a domain tells a program's partners that something happened: one outbox
row for each active endpoint that chose the event, written in the domain's own transaction
(nothing is lost, nothing is told of a change rolled back). The outbox delivers it.
"""

import base64
import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.services import queue_messages
from alongside.notifications.webhooks.addresses import check_endpoint_url
from alongside.notifications.webhooks.events import (
    TEST_EVENT,
    WebhookEvent,
    declared_events,
    event_body,
    new_event_id,
)
from alongside.notifications.webhooks.models import WebhookDelivery, WebhookEndpoint

if TYPE_CHECKING:
    from alongside.programs.models import Program

# How long a rotated secret still signs beside the new one, for the partner to switch over.
ROTATION_GRACE = dt.timedelta(hours=24)
SECRET_PREFIX = "whsec_"  # noqa: S105 (the format's prefix, not a secret)
SECRET_BYTES = 32  # Standard Webhooks asks for 24 to 64


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes it: "whsec_" and base64 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


@transaction.atomic
def add_endpoint(
    *,
    program: "Program",
    name: str,
    url: str,
    events: Sequence[str],
    added_by: User,
    is_active: bool = True,
) -> WebhookEndpoint:
    """Register an endpoint with a new secret (read it once, from the endpoint); audited."""
    endpoint = WebhookEndpoint.objects.create(
        program=program,
        name=_checked_name(name),
        url=check_endpoint_url(url),
        events=_checked_events(events),
        is_active=is_active,
        secret=new_secret(),
        created_by=added_by,
    )
    record_event(
        actor=added_by,
        action="notifications.webhook.added",
        target=endpoint,
        data={"events": endpoint.events},
    )
    return endpoint


@transaction.atomic
def change_endpoint(
    *,
    endpoint: WebhookEndpoint,
    name: str,
    url: str,
    events: Sequence[str],
    is_active: bool,
    changed_by: User,
) -> WebhookEndpoint:
    """Change an endpoint's name, address, events or whether it is on; audits what changed.

    Deliveries already queued go to the address as it is when they are sent; once the endpoint
    is off, they are given up (and can be sent again once it is back on).
    """
    wanted = {
        "name": _checked_name(name),
        "url": check_endpoint_url(url),
        "events": _checked_events(events),
        "is_active": is_active,
    }
    changed = sorted(field for field, value in wanted.items() if getattr(endpoint, field) != value)
    for field, value in wanted.items():
        setattr(endpoint, field, value)
    endpoint.save(update_fields=[*wanted, "updated_at"])
    record_event(
        actor=changed_by,
        action="notifications.webhook.changed",
        target=endpoint,
        data={"changed": changed, "events": endpoint.events, "active": is_active},
    )
    return endpoint


@transaction.atomic
def rotate_secret(
    *, endpoint: WebhookEndpoint, version: int, rotated_by: User, now: dt.datetime | None = None
) -> WebhookEndpoint:
    """Give the endpoint a new secret; the one it replaces still signs for ROTATION_GRACE.

    `version` is the secret the person saw: a second click, or a rotation from another tab
    meanwhile, is refused rather than push the secret the partner has out of the grace.
    """
    now = now or timezone.now()
    locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if locked.secret_version != version:
        raise DomainError(
            _("The secret was changed a moment ago. Read the page again before changing it.")
        )
    locked.previous_secret = locked.secret
    locked.previous_secret_expires_at = now + ROTATION_GRACE
    locked.secret = new_secret()
    locked.secret_version += 1
    locked.save(
        update_fields=[
            "previous_secret",
            "previous_secret_expires_at",
            "secret",
            "secret_version",
            "updated_at",
        ]
    )
    record_event(
        actor=rotated_by,
        action="notifications.webhook.secret_rotated",
        target=locked,
        data={"version": locked.secret_version},
    )
    return locked


@transaction.atomic
def send_test_event(*, endpoint: WebhookEndpoint, sent_by: User) -> OutboxMessage:
    """Queue a "webhook.test" event to this endpoint alone, whatever events it chose; audited."""
    if not endpoint.is_active:
        raise DomainError(_("Turn the endpoint on before sending it a test event."))
    event_id = new_event_id()
    (message,) = _queue(
        [endpoint],
        program_id=endpoint.program_id,
        event=TEST_EVENT,
        ids={},
        event_id=event_id,
        at=timezone.now(),
        key=event_id,
    )
    record_event(actor=sent_by, action="notifications.webhook.tested", target=endpoint)
    return message


def emit_event(
    *,
    program: "Program",
    event: WebhookEvent,
    ids: Mapping[str, int | None],
    at: dt.datetime | None = None,
) -> list[OutboxMessage]:
    """Tell every active endpoint of the program that chose this event, in the caller's
    transaction: one outbox row each, ids only. Emitting the same event (code and ids) again
    queues nothing more. Returns the rows (none when no endpoint wants it: one query)."""
    endpoints = [
        endpoint
        for endpoint in WebhookEndpoint.objects.filter(program=program, is_active=True)
        .only("pk", "url", "events")
        .order_by("pk")
        if event.code in endpoint.events
    ]
    if not endpoints:
        return []
    ids_text = ",".join(f"{name}={ids[name]}" for name in sorted(ids))
    with transaction.atomic():  # the rows and their endpoints together, before any delivery
        return _queue(
            endpoints,
            program_id=program.pk,
            event=event,
            ids=ids,
            event_id=new_event_id(),
            at=at or timezone.now(),
            key=f"{event.code}:{ids_text}",
        )


def _queue(
    endpoints: Sequence[WebhookEndpoint],
    *,
    program_id: int,
    event: WebhookEvent,
    ids: Mapping[str, int | None],
    event_id: str,
    at: dt.datetime,
    key: str,
) -> list[OutboxMessage]:
    body = event_body(event=event, event_id=event_id, program_id=program_id, ids=ids, at=at)
    messages = queue_messages(
        [
            OutboxMessage(
                program_id=program_id,
                kind=event.code,
                channel=Channel.WEBHOOK,
                to_address=endpoint.url,
                body=body,
                idempotency_key=f"webhook:{endpoint.pk}:{key}"[:200],
            )
            for endpoint in endpoints
        ]
    )
    # In the same transaction as the rows, so their delivery (after commit) finds its endpoint;
    # a row recorded before (the same event again) already has its own.
    WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(message=message, endpoint=endpoint, event_id=event_id)
            for message, endpoint in zip(messages, endpoints, strict=True)
        ],
        ignore_conflicts=True,
    )
    return messages


def _checked_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise DomainError(_("Give the endpoint a name, such as the partner's system."))
    return name


def _checked_events(events: Sequence[str]) -> list[str]:
    known = [event.code for event in declared_events()]
    chosen = [code for code in known if code in events]
    if not chosen or len(chosen) != len(set(events)):
        raise DomainError(_("Choose at least one event, from the list."))
    return chosen
