"""The events a program's endpoints may be told of, and the body each delivery carries.

Each app declares the events it emits in its own `messages.py`, beside its kinds of message,
as `WebhookEvent`s; they are found there by name, as the wording pages find the kinds
(notifications never imports a domain). A body names the event and carries ids only: never a
name, an address or anything a person wrote.
"""

import datetime as dt
import json
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.notifications.wording.kinds import messages_modules


@dataclass(frozen=True)
class WebhookEvent:
    """One kind of event: its dotted code, what it means to an administrator, and the ids its
    body carries besides the program's (each "<name>_id", a number or null)."""

    code: str
    name: str | Promise
    ids: tuple[str, ...]


# Sent only by an administrator's "Send a test event", to one endpoint.
TEST_EVENT = WebhookEvent("webhook.test", name=_("A test event"), ids=())


@cache
def declared_events() -> tuple[WebhookEvent, ...]:
    """Every app's events, in the order of the installed apps; raises ImproperlyConfigured
    when two share a code."""
    found: dict[str, WebhookEvent] = {}
    for module in messages_modules():
        for value in vars(module).values():
            if isinstance(value, WebhookEvent) and found.setdefault(value.code, value) != value:
                raise ImproperlyConfigured(f"Two webhook events share the code {value.code}.")
    return tuple(found.values())


def event_choices() -> list[tuple[str, str | Promise]]:
    """The events an endpoint may choose, as (code, name)."""
    return [(event.code, event.name) for event in declared_events()]


def new_event_id() -> str:
    """An event's id: the same on every endpoint told of it and on every attempt."""
    return f"evt_{uuid.uuid4().hex}"


def event_body(
    *,
    event: WebhookEvent,
    event_id: str,
    program_id: int,
    ids: Mapping[str, int | None],
    at: dt.datetime,
) -> str:
    """The JSON every endpoint told of this event receives, exactly as it is signed.

    Raises ValueError when the ids are not the event's own (a name or a text slipped in).
    """
    if set(ids) != set(event.ids):
        raise ValueError(f"{event.code} carries the ids {event.ids}, not {tuple(ids)}.")
    if any(value is not None and type(value) is not int for value in ids.values()):
        raise ValueError(f"{event.code} carries ids only: whole numbers or None.")
    data = {"program_id": program_id} | {f"{name}_id": ids[name] for name in event.ids}
    body = {
        "id": event_id,
        "type": event.code,
        "timestamp": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return json.dumps(body, separators=(",", ":"), sort_keys=True)
