"""The JSON API (/api/v1/). It calls the same queries as the pages, with the same scoping."""

from django.http import HttpRequest
from ninja import NinjaAPI, Router
from ninja.security import django_auth

from alongside.api.schemas import MatchOut, WaitingRequestOut
from alongside.intake.queries import request_queue
from alongside.matches.queries import matches_for_list

api = NinjaAPI(
    title="Alongside API",
    version="1",
    urls_namespace="api",
    auth=django_auth,
    description="Program-scoped access to requests and matches. Sign in first; session auth.",
)
requests_router = Router(tags=["requests"])
matches_router = Router(tags=["matches"])


@requests_router.get("/waiting", response=list[WaitingRequestOut])
def waiting_requests(request: HttpRequest) -> list[WaitingRequestOut]:
    """Requests waiting for a match in your programs, the soonest due first."""
    return [
        WaitingRequestOut(
            id=item.pk,
            program=item.program.name,
            source=item.source,
            received_at=item.received_at,
            due_at=item.due_at,
            experience=item.experience.name if item.experience else None,
        )
        for item in request_queue(request.user)  # type: ignore[arg-type]
    ]


@matches_router.get("/", response=list[MatchOut])
def matches(request: HttpRequest) -> list[MatchOut]:
    """Matches you may see: your own as a supporter; your programs' as staff."""
    return [
        MatchOut(
            id=match.pk,
            program=match.program.name,
            status=match.status,
            supporter=match.supporter.display_name,
            started_at=match.started_at,
            minutes_logged=match.minutes_logged,  # type: ignore[attr-defined]
        )
        for match in matches_for_list(request.user)  # type: ignore[arg-type]
    ]


api.add_router("/requests", requests_router)
api.add_router("/matches", matches_router)
