"""The JSON API (/api/v1/). It calls the same queries as the pages, with the same scoping.

Program content (a program's or an experience's name) is given in the request's language
(`Accept-Language`, else the user's), else in the program's first language (ADR 0004)."""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router, Swagger
from ninja.errors import HttpError
from ninja.security import django_auth

from alongside.api.schemas import (
    CandidateOut,
    LeftOutOut,
    MatchOut,
    ScorePartOut,
    ShortlistOut,
    WaitingRequestOut,
)
from alongside.intake.models import RequestStatus
from alongside.intake.permissions import get_request_for
from alongside.intake.queries import request_queue
from alongside.matches.queries import matches_for_list
from alongside.matching.queries import shortlist
from alongside.matching.services import record_shortlist_viewed

api = NinjaAPI(
    title="Alongside API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    # Served from ninja's own static files (templates/ninja/swagger.html). Without deep links
    # each operation's summary is one button, not a button with a link nested inside it.
    docs=Swagger(settings={"deepLinking": False}),
    description=(
        "Program-scoped access to requests, shortlists and matches. Sign in first; session auth."
    ),
)
requests_router = Router(tags=["requests"])
matches_router = Router(tags=["matches"])


@requests_router.get("/waiting", response=list[WaitingRequestOut])
def waiting_requests(request: HttpRequest) -> list[WaitingRequestOut]:
    """Requests waiting for a match in your programs, the soonest due first."""
    return [
        WaitingRequestOut(
            id=item.pk,
            program=str(item.program.in_language("name")),
            source=item.source,
            received_at=item.received_at,
            due_at=item.due_at,
            experience=str(
                item.experience.in_language("name", fallbacks=item.program.content_languages()[:1])
            )
            if item.experience
            else None,
        )
        for item in request_queue(request.user)  # type: ignore[arg-type]
    ]


@requests_router.get("/{request_id}/shortlist", response=ShortlistOut)
def request_shortlist(request: HttpRequest, request_id: int) -> ShortlistOut:
    """The best-placed supporters for a waiting request, each score part by part, and the
    supporters left out with their reasons. Program staff only."""
    support_request = get_request_for(request.user, request_id, write=True)  # type: ignore[arg-type]
    if support_request.status != RequestStatus.NEW:
        raise HttpError(409, _("This request is not waiting for a match."))
    found = shortlist(support_request)
    if found.being_prepared:
        raise HttpError(503, _("Suggestions are being prepared. Ask again in a few seconds."))
    record_shortlist_viewed(
        support_request=support_request,
        viewer=request.user,  # type: ignore[arg-type]
        shown=len(found.candidates),
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


@matches_router.get("/", response=list[MatchOut])
def matches(request: HttpRequest) -> list[MatchOut]:
    """Matches you may see: your own as a supporter; your programs' as staff."""
    return [
        MatchOut(
            id=match.pk,
            program=str(match.program.in_language("name")),
            status=match.status,
            supporter=match.supporter.display_name,
            started_at=match.started_at,
            minutes_logged=match.minutes_logged,  # type: ignore[attr-defined]
        )
        for match in matches_for_list(request.user)  # type: ignore[arg-type]
    ]


api.add_router("/requests", requests_router)
api.add_router("/matches", matches_router)
