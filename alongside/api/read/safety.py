"""Escalations as their program's staff see them: the escalation list's own query
(`scoped_escalations`) and the escalation page's permission (`get_escalation_for`), then the
token's program (ADR 0015). Ids, urgency, state and times; never what happened nor its
outcome (encrypted words), nor who raised or answered it."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, ProgramFilter, an_id
from alongside.core.audit import record_event
from alongside.safety.lists import scoped_escalations
from alongside.safety.models import Escalation, EscalationStatus, Urgency
from alongside.safety.permissions import get_escalation_for

escalations_router = Router(tags=["escalations"])
ORDERINGS = {"-created_at": "-created_at", "created_at": "created_at"}


class EscalationOut(Schema):
    id: int
    program_id: int
    urgency: str
    status: str
    match_id: int | None
    request_id: int | None
    raised_at: dt.datetime
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None


class EscalationPage(Schema):
    items: list[EscalationOut]
    next_cursor: str | None
    next: str | None


def escalation_out(escalation: Escalation) -> EscalationOut:
    return EscalationOut(
        id=escalation.pk,
        program_id=escalation.program_id,
        urgency=escalation.urgency,
        status=escalation.status,
        match_id=escalation.match_id,
        request_id=escalation.support_request_id,
        raised_at=escalation.created_at,
        acknowledged_at=escalation.acknowledged_at,
        resolved_at=escalation.resolved_at,
    )


@escalations_router.get(
    "/",
    response=responses({200: EscalationPage}),
    openapi_extra=documented_scope(Scope.READ_SAFETY),
)
def escalations(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    status: EscalationStatus | None = None,
    urgency: Urgency | None = None,
    ordering: Literal["-created_at", "created_at"] = "-created_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> EscalationPage:
    """Your programs' escalations (as staff), the latest raised first; every status unless
    one is asked."""
    caller = caller_for(request, Scope.READ_SAFETY)
    rows = caller.narrow(scoped_escalations(caller.user))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if status is not None:
        rows = rows.filter(status=status)
    if urgency is not None:
        rows = rows.filter(urgency=urgency)
    page = page_of(
        request, rows, ordering=ordering, orderings=ORDERINGS, cursor=cursor, limit=limit
    )
    return EscalationPage(
        items=[escalation_out(escalation) for escalation in page.items],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@escalations_router.get(
    "/{escalation_id}",
    response=responses({200: EscalationOut}, 404),
    openapi_extra=documented_scope(Scope.READ_SAFETY),
)
def escalation(request: HttpRequest, escalation_id: int = an_id()) -> EscalationOut:
    """One escalation you may see on its page: your programs' as staff, or one you raised.
    Read as the page reads it (audited)."""
    caller = caller_for(request, Scope.READ_SAFETY)
    found = get_escalation_for(caller.user, escalation_id)
    if not caller.reaches_program(found.program_id):
        raise not_found()
    record_event(actor=caller.user, action="safety.escalation.viewed", target=found)
    return escalation_out(found)
