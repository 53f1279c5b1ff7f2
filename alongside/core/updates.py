"""Set some fields of a record, save those alone and audit the change: one way for every service."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import models

from alongside.core.audit import record_event
from alongside.core.models import AuditEvent


@dataclass(frozen=True)
class Update:
    """What `update_and_audit` changed: field names in the order given, and the event (if any)."""

    fields: list[str]
    event: AuditEvent | None


def update_and_audit(
    *,
    instance: models.Model,
    changes: Mapping[str, object],
    actor: Any,
    action: str,
    data_key: str = "fields",
    check: Callable[[list[str]], None] | None = None,
) -> Update:
    """Set the fields whose value differs, run `check` on them, save only those and record one
    `action` event naming them under `data_key` (names only: values may be sensitive).

    Nothing is saved or recorded when no value differs. `check` raises to refuse the change;
    the caller's transaction then undoes nothing, for nothing has been written yet.
    """
    changed = [name for name, value in changes.items() if getattr(instance, name) != value]
    if not changed:
        return Update(fields=[], event=None)
    for name in changed:
        setattr(instance, name, changes[name])
    if check is not None:
        check(changed)
    instance.save(update_fields=changed)
    event = record_event(
        actor=actor, action=action, target=instance, data={data_key: sorted(changed)}
    )
    return Update(fields=changed, event=event)
