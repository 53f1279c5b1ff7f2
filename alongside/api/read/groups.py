"""Group sessions as the sessions pages read them (`sessions_for_staff` with their counts;
`get_session_for`: staff, or a supporter invited), then the token's program (ADR 0015).
What, when, how long and how many; not the place, the call link or the notes."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, ProgramFilter, an_id
from alongside.groups.models import GroupSession, SessionKind
from alongside.groups.permissions import get_session_for
from alongside.groups.queries import sessions_for_staff, with_counts

groups_router = Router(tags=["group sessions"])
ORDERINGS = {"starts_at": "starts_at", "-starts_at": "-starts_at"}


class GroupSessionOut(Schema):
    id: int
    program_id: int
    kind: str
    title: str
    starts_at: dt.datetime
    length_minutes: int
    capacity: int | None
    cancelled_at: dt.datetime | None
    invited: int
    coming: int
    attended: int


class GroupSessionPage(Schema):
    items: list[GroupSessionOut]
    next_cursor: str | None
    next: str | None


def session_out(session: GroupSession) -> GroupSessionOut:
    return GroupSessionOut(
        id=session.pk,
        program_id=session.program_id,
        kind=session.kind,
        title=session.title,
        starts_at=session.starts_at,
        length_minutes=session.length_minutes,
        capacity=session.capacity,
        cancelled_at=session.cancelled_at,
        invited=session.invited_count,  # type: ignore[attr-defined]
        coming=session.coming_count,  # type: ignore[attr-defined]
        attended=session.attended_count,  # type: ignore[attr-defined]
    )


@groups_router.get(
    "/",
    response=responses({200: GroupSessionPage}),
    openapi_extra=documented_scope(Scope.READ_SUPPORTERS),
)
def group_sessions(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    kind: SessionKind | None = None,
    ordering: Literal["starts_at", "-starts_at"] = "starts_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> GroupSessionPage:
    """Your programs' group sessions (as staff), the soonest first, with how many are
    invited, coming and came."""
    caller = caller_for(request, Scope.READ_SUPPORTERS)
    rows = caller.narrow(with_counts(sessions_for_staff(caller.user)))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if kind is not None:
        rows = rows.filter(kind=kind)
    page = page_of(
        request, rows, ordering=ordering, orderings=ORDERINGS, cursor=cursor, limit=limit
    )
    return GroupSessionPage(
        items=[session_out(session) for session in page.items],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@groups_router.get(
    "/{session_id}",
    response=responses({200: GroupSessionOut}, 404),
    openapi_extra=documented_scope(Scope.READ_SUPPORTERS),
)
def group_session(request: HttpRequest, session_id: int = an_id()) -> GroupSessionOut:
    """One group session you may see on its page: your programs' as staff, or one you are
    invited to."""
    caller = caller_for(request, Scope.READ_SUPPORTERS)
    found = get_session_for(caller.user, session_id)
    if not caller.reaches_program(found.program_id):
        raise not_found()
    return session_out(with_counts(GroupSession.objects.filter(pk=found.pk)).get())
