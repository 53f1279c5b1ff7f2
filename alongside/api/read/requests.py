"""One request for support as its program's staff see it on its page, without the person's
name, contact details or own words: ids, states and dates only. The page's own permission
helper (`get_request_for`) and staff check, then the token's program (ADR 0015)."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.accounts.models import STAFF_ROLES
from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, an_id
from alongside.intake.models import SupportRequest
from alongside.intake.permissions import get_request_for, is_staff_tied_to
from alongside.intake.services import record_request_viewed
from alongside.matches.models import OPEN_MATCH_STATUSES
from alongside.matching.models import Proposal
from alongside.programs.queries import holds_role_in

request_detail_router = Router(tags=["requests"])
PROPOSAL_ORDERINGS = {"-created_at": "-created_at", "created_at": "created_at"}


class RequestDetailOut(Schema):
    id: int
    program_id: int
    program: str
    status: str
    source: str
    language: str
    received_at: dt.datetime
    due_at: dt.datetime
    call_back_at: dt.datetime | None
    site_id: int | None
    experience_id: int | None
    experience: str | None
    referred: bool
    open_match_id: int | None


def request_out(found: SupportRequest) -> RequestDetailOut:
    fallbacks = found.program.content_languages()[:1]
    match_id = (
        found.matches.filter(status__in=OPEN_MATCH_STATUSES).values_list("pk", flat=True).first()
    )
    return RequestDetailOut(
        id=found.pk,
        program_id=found.program_id,
        program=str(found.program.in_language("name")),
        status=found.status,
        source=found.source,
        language=found.language,
        received_at=found.received_at,
        due_at=found.due_at,
        call_back_at=found.call_back_at,
        site_id=found.site_id,
        experience_id=found.experience_id,
        experience=str(found.experience.in_language("name", fallbacks=fallbacks))
        if found.experience
        else None,
        referred=found.referred_by_id is not None,
        open_match_id=match_id,
    )


@request_detail_router.get(
    "/{request_id}",
    response=responses({200: RequestDetailOut}, 404),
    openapi_extra=documented_scope(Scope.READ_REQUESTS),
)
def request_detail(request: HttpRequest, request_id: int = an_id()) -> RequestDetailOut:
    """A request as its program's staff see it on its page: its state, dates, program, site
    and experience; never the person's name, contact details or words. Read as the page reads
    it (audited); a referrer follows a referral on its own page, so is answered 404 here."""
    caller = caller_for(request, Scope.READ_REQUESTS)
    found = get_request_for(caller.user, request_id)
    if not caller.reaches_program(found.program_id):
        raise not_found()
    if not holds_role_in(caller.user, STAFF_ROLES, found.program_id) and not is_staff_tied_to(
        caller.user, found
    ):
        raise not_found()
    record_request_viewed(support_request=found, viewer=caller.user)
    return request_out(found)


class ProposalOut(Schema):
    id: int
    status: str
    supporter_id: int
    supporter: str
    score: float
    created_at: dt.datetime
    sent_at: dt.datetime | None
    respond_by: dt.datetime | None
    responded_at: dt.datetime | None
    match_id: int | None


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None
    next: str | None


@request_detail_router.get(
    "/{request_id}/proposals",
    response=responses({200: ProposalPage}, 404),
    openapi_extra=documented_scope(Scope.READ_REQUESTS),
)
def request_proposals(
    request: HttpRequest,
    request_id: int = an_id(),
    ordering: Literal["-created_at", "created_at"] = "-created_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> ProposalPage:
    """The supporters a request was proposed to, and how each answered, the latest first.
    Program staff only, as matching is theirs."""
    caller = caller_for(request, Scope.READ_REQUESTS)
    found = get_request_for(caller.user, request_id, write=True)
    if not caller.reaches_program(found.program_id):
        raise not_found()
    rows = Proposal.objects.visible_to(caller.user).filter(request=found)
    page = page_of(
        request,
        rows.select_related("supporter__user"),
        ordering=ordering,
        orderings=PROPOSAL_ORDERINGS,
        cursor=cursor,
        limit=limit,
    )
    return ProposalPage(
        items=[
            ProposalOut(
                id=proposal.pk,
                status=proposal.status,
                supporter_id=proposal.supporter_id,
                supporter=proposal.supporter.display_name,
                score=float(proposal.score),
                created_at=proposal.created_at,
                sent_at=proposal.sent_at,
                respond_by=proposal.respond_by,
                responded_at=proposal.responded_at,
                match_id=proposal.match_id,
            )
            for proposal in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )
