"""The JSON API (/api/v1/). It calls the same queries as the pages, with the same scoping.

A caller signs in (the session, with CSRF on unsafe methods) or sends a token that acts as its
creator within one program and its scopes (`auth.py`, ADR 0015). Every error is a problem
details body (`problems.py`), every list is paged by cursor (`paging.py`), every POST takes an
`Idempotency-Key` (`idempotency.py`).

Program content (a program's or an experience's name) is given in the request's language
(`Accept-Language`, else the user's), else in the program's first language (ADR 0004)."""

from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Swagger
from ninja.params.functions import Path, Query

from alongside.api.auth import AUTH, caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import DEFAULT_LIMIT, MOST_LIMIT, page_of
from alongside.api.problems import ProblemDetailsAPI, ProblemError, not_found, responses
from alongside.api.read.groups import groups_router
from alongside.api.read.hours import hours_reports_router
from alongside.api.read.insight import insight_router
from alongside.api.read.matches import match_detail_router
from alongside.api.read.outcomes import outcomes_router
from alongside.api.read.programs import programs_router
from alongside.api.read.requests import request_detail_router
from alongside.api.read.resources import resources_router
from alongside.api.read.safety import escalations_router
from alongside.api.read.supporters import supporters_router
from alongside.api.referrals import referrals_router
from alongside.api.schemas import (
    CandidateOut,
    LeftOutOut,
    MatchOut,
    MatchPage,
    ScorePartOut,
    ShortlistOut,
    WaitingRequestOut,
    WaitingRequestPage,
)
from alongside.api.write.contacts import contacts_router
from alongside.api.write.hours import hours_router
from alongside.api.write.proposals import proposals_router
from alongside.api.write.requests import requests_write_router
from alongside.intake.models import RequestStatus, Source
from alongside.intake.permissions import get_request_for
from alongside.intake.queries import request_queue
from alongside.matches.models import MatchStatus
from alongside.matches.queries import matches_for_list
from alongside.matching.queries import shortlist
from alongside.matching.services import record_shortlist_viewed

api = ProblemDetailsAPI(
    title="Alongside API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    # Served from ninja's own static files (templates/ninja/swagger.html). Without deep links
    # each operation's summary is one button, not a button with a link nested inside it.
    docs=Swagger(settings={"deepLinking": False}),
    description=(
        "A program's records, scoped as its pages are: read what partners need, post referrals, "
        "requests, contacts, hours and proposal answers. Guide: docs/api.md. Send a token "
        "(Authorization: Bearer alg_…), made on the program's settings, or sign in. A token "
        "acts as the person who made it, within its program and scopes (each operation's "
        "x-scope); another program's records are 404. Errors are problem details "
        "(application/problem+json); lists are paged by cursor; every POST takes an "
        "Idempotency-Key."
    ),
)
requests_router = Router(tags=["requests"])
matches_router = Router(tags=["matches"])

Limit = Query(DEFAULT_LIMIT, ge=1, le=MOST_LIMIT, description="How many rows, 1 to 200.")
Cursor = Query(None, description="The next_cursor of the page before.")
# Ids as the database keeps them: a larger number is a 422, never an overflow.
MOST_ID = 2**63 - 1
ProgramFilter = Query(None, ge=1, le=MOST_ID, description="Only this program's.")
WAITING_ORDERINGS = {
    "due_at": "due_at",
    "-due_at": "-due_at",
    "received_at": "received_at",
    "-received_at": "-received_at",
}
MATCH_ORDERINGS = {"-started_at": "-started_at", "started_at": "started_at"}


@requests_router.get(
    "/waiting",
    response=responses({200: WaitingRequestPage}),
    openapi_extra=documented_scope(Scope.READ_REQUESTS),
)
def waiting_requests(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    source: Source | None = None,
    ordering: Literal["due_at", "-due_at", "received_at", "-received_at"] = "due_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> WaitingRequestPage:
    """Requests waiting for a match in your programs, the soonest due first."""
    caller = caller_for(request, Scope.READ_REQUESTS)
    rows = caller.narrow(request_queue(caller.user, program_id=program_id))
    if source is not None:
        rows = rows.filter(source=source)
    page = page_of(
        request, rows, ordering=ordering, orderings=WAITING_ORDERINGS, cursor=cursor, limit=limit
    )
    return WaitingRequestPage(
        items=[
            WaitingRequestOut(
                id=item.pk,
                program=str(item.program.in_language("name")),
                source=item.source,
                received_at=item.received_at,
                due_at=item.due_at,
                experience=str(
                    item.experience.in_language(
                        "name", fallbacks=item.program.content_languages()[:1]
                    )
                )
                if item.experience
                else None,
            )
            for item in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@requests_router.get(
    "/{request_id}/shortlist",
    response=responses({200: ShortlistOut}, 404, 409, 503),
    openapi_extra=documented_scope(Scope.READ_REQUESTS),
)
def request_shortlist(
    request: HttpRequest, request_id: int = Path(..., ge=1, le=MOST_ID)
) -> ShortlistOut:
    """The best-placed supporters for a waiting request, each score part by part, and the
    supporters left out with their reasons. Program staff only."""
    caller = caller_for(request, Scope.READ_REQUESTS)
    support_request = get_request_for(caller.user, request_id, write=True)
    if not caller.reaches_program(support_request.program_id):
        raise not_found()
    if support_request.status != RequestStatus.NEW:
        raise ProblemError(409, _("This request is not waiting for a match."))
    found = shortlist(support_request)
    if found.being_prepared:
        raise ProblemError(
            503,
            _("Suggestions are being prepared. Ask again in a few seconds."),
            headers={"Retry-After": "5"},
        )
    record_shortlist_viewed(
        support_request=support_request, viewer=caller.user, shown=len(found.candidates)
    )
    return ShortlistOut(
        can_take_it=found.can_take_it,
        candidates=[
            CandidateOut(
                supporter_id=candidate.supporter.pk,
                supporter=candidate.supporter.display_name,
                place=candidate.place,
                total=candidate.total,
                parts=[
                    ScorePartOut(criterion=part.label, points=part.points)
                    for part in candidate.parts
                ],
                places_in_use=candidate.places_in_use,
            )
            for candidate in found.candidates
        ],
        left_out=[
            LeftOutOut(
                supporter_id=item.supporter.pk,
                supporter=item.supporter.display_name,
                reasons=list(item.reasons),
            )
            for item in found.left_out
        ],
        left_out_count=found.left_out_count,
    )


@matches_router.get(
    "/",
    response=responses({200: MatchPage}),
    openapi_extra=documented_scope(Scope.READ_MATCHES),
)
def matches(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    status: MatchStatus | None = None,
    ordering: Literal["-started_at", "started_at"] = "-started_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> MatchPage:
    """Matches you may see: your own as a supporter; your programs' as staff; the latest
    started first."""
    caller = caller_for(request, Scope.READ_MATCHES)
    rows = caller.narrow(matches_for_list(caller.user))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if status is not None:
        rows = rows.filter(status=status)
    page = page_of(
        request, rows, ordering=ordering, orderings=MATCH_ORDERINGS, cursor=cursor, limit=limit
    )
    return MatchPage(
        items=[
            MatchOut(
                id=match.pk,
                program=str(match.program.in_language("name")),
                status=match.status,
                supporter=match.supporter.display_name,
                started_at=match.started_at,
                minutes_logged=match.minutes_logged,  # type: ignore[attr-defined]
            )
            for match in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )


api.add_router("/requests", requests_router)
api.add_router("/matches", matches_router)
api.add_router("/programs", referrals_router)
api.add_router("/programs", requests_write_router)
api.add_router("/matches", contacts_router)
api.add_router("/hours-reports", hours_router)
api.add_router("/proposals", proposals_router)
# The reads partners need (api/read/). After requests_router: its /requests/waiting comes
# before /requests/{request_id}.
api.add_router("/programs", programs_router)
api.add_router("/requests", request_detail_router)
api.add_router("/supporters", supporters_router)
api.add_router("/matches", match_detail_router)
api.add_router("/escalations", escalations_router)
api.add_router("/hours-reports", hours_reports_router)
api.add_router("/resources", resources_router)
api.add_router("/group-sessions", groups_router)
api.add_router("/programs", outcomes_router)
api.add_router("/programs", insight_router)
