"""Audit events: every state change and every read of a sensitive record leaves one."""

from collections.abc import Iterable
from contextvars import ContextVar
from typing import Any

from django.db import models

from alongside.core.models import AuditEvent

# The address of the request being served, set by RequestOriginMiddleware; None in tasks.
request_origin: ContextVar[str | None] = ContextVar("request_origin", default=None)


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    program_id: int | None = None,
) -> AuditEvent:
    """Write one audit event. `action` is a dotted code such as "matches.contact.logged".

    The event is filed under `program_id`, or else the target's own program.
    """
    event = audit_event(actor=actor, action=action, target=target, data=data, program_id=program_id)
    event.save(force_insert=True)
    return event


def record_events(events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """Write many audit events built by `audit_event` in one query (a periodic job's batch)."""
    return AuditEvent.objects.bulk_create(list(events), batch_size=1000)


def audit_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    data: dict[str, Any] | None = None,
    program_id: int | None = None,
) -> AuditEvent:
    """The event `record_event` writes, not yet written: for `record_events`."""
    if program_id is None:
        program_id = getattr(target, "program_id", None)
    if program_id is None and target._meta.label == "programs.Program":
        program_id = target.pk
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        program_id=program_id,
        ip_address=request_origin.get(),
        data=data or {},
    )


def delete_events(event_ids: Iterable[int]) -> int:
    """Delete audit events past their program's retention (the only way one is ever deleted);
    how many went. The caller records one event saying how many and until when."""
    deleted, _rows = AuditEvent.objects.filter(pk__in=list(event_ids)).delete()
    return deleted
