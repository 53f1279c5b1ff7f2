"""Supporters as their program's staff see them: the supporter page's own query
(`Supporter.objects.staffed_by`, `get_supporter_for`), then the token's program (ADR 0015).
The name as the pages show it, status, site and capacity; no contact details, no notes."""

import datetime as dt
from typing import Literal

from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, ProgramFilter, an_id
from alongside.matches.models import OPEN_MATCH_STATUSES
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.services.pipeline import record_supporter_viewed

supporters_router = Router(tags=["supporters"])
ORDERINGS = {"created_at": "created_at", "-created_at": "-created_at"}


class SupporterOut(Schema):
    id: int
    program_id: int
    program: str
    name: str
    status: str
    site_id: int | None
    is_paid: bool
    languages: list[str]
    most_matches: int
    places_in_use: int
    away_until: dt.date | None
    created_at: dt.datetime


class SupporterPage(Schema):
    items: list[SupporterOut]
    next_cursor: str | None
    next: str | None


def _with_places(rows: QuerySet[Supporter]) -> QuerySet[Supporter]:
    return rows.select_related("program", "user").annotate(
        places=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES), distinct=True)
    )


def supporter_out(supporter: Supporter) -> SupporterOut:
    return SupporterOut(
        id=supporter.pk,
        program_id=supporter.program_id,
        program=str(supporter.program.in_language("name")),
        name=supporter.display_name,
        status=supporter.status,
        site_id=supporter.site_id,
        is_paid=supporter.is_paid,
        languages=list(supporter.languages or []),
        most_matches=supporter.max_concurrent_matches,
        places_in_use=supporter.places,  # type: ignore[attr-defined]
        away_until=supporter.away_until,
        created_at=supporter.created_at,
    )


@supporters_router.get(
    "/",
    response=responses({200: SupporterPage}),
    openapi_extra=documented_scope(Scope.READ_SUPPORTERS),
)
def supporters(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    status: SupporterStatus | None = None,
    ordering: Literal["created_at", "-created_at"] = "created_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> SupporterPage:
    """The supporters you manage as staff (your programs', or your sites'), with how many
    matches each may hold and holds open."""
    caller = caller_for(request, Scope.READ_SUPPORTERS)
    rows = caller.narrow(Supporter.objects.staffed_by(caller.user))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if status is not None:
        rows = rows.filter(status=status)
    page = page_of(
        request,
        _with_places(rows),
        ordering=ordering,
        orderings=ORDERINGS,
        cursor=cursor,
        limit=limit,
    )
    return SupporterPage(
        items=[supporter_out(supporter) for supporter in page.items],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@supporters_router.get(
    "/{supporter_id}",
    response=responses({200: SupporterOut}, 404),
    openapi_extra=documented_scope(Scope.READ_SUPPORTERS),
)
def supporter(request: HttpRequest, supporter_id: int = an_id()) -> SupporterOut:
    """One supporter you manage as staff, read as their page reads them (audited)."""
    caller = caller_for(request, Scope.READ_SUPPORTERS)
    found = get_supporter_for(caller.user, supporter_id)
    if not caller.reaches_program(found.program_id):
        raise not_found()
    record_supporter_viewed(supporter=found, viewer=caller.user)
    return supporter_out(_with_places(Supporter.objects.filter(pk=found.pk)).get())
