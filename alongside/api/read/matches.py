"""One match, its contacts and its goals, as the match page reads them (`match_access_for`, the
hours so far, `contacts_for`, `goals_for`), then the token's program (ADR 0015). Dates, states
and durations; never a contact's notes or comments, a goal's words or its progress notes, nor
the person's name or contact details."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, an_id
from alongside.api.write.contacts import contacts_router
from alongside.matches.models import Match
from alongside.matches.permissions import match_access_for
from alongside.matches.queries import contacts_for, goals_for, hours_of
from alongside.matches.services.lifecycle import record_match_viewed

match_detail_router = Router(tags=["matches"])
CONTACT_ORDERINGS = {"-occurred_at": "-occurred_at", "occurred_at": "occurred_at"}
GOAL_ORDERINGS = {"agreed_on": "agreed_on", "-agreed_on": "-agreed_on"}


class MatchDetailOut(Schema):
    id: int
    program_id: int
    program: str
    status: str
    request_id: int
    supporter_id: int
    supporter: str
    started_at: dt.datetime
    planned_end_on: dt.date | None
    paused_at: dt.datetime | None
    closed_at: dt.datetime | None
    closure_reason: str
    minutes_logged: int
    contacts_made: int
    attempts: int


class ContactEntryOut(Schema):
    id: int
    occurred_at: dt.datetime
    minutes: int
    method: str
    was_made: bool
    follow_up_on: dt.date | None
    needs_coordinator: bool
    support_types: list[str]


class GoalOut(Schema):
    id: int
    status: str
    agreed_on: dt.date
    review_on: dt.date | None
    updated_at: dt.datetime
    notes: int


class GoalPage(Schema):
    items: list[GoalOut]
    next_cursor: str | None
    next: str | None


class ContactPage(Schema):
    items: list[ContactEntryOut]
    next_cursor: str | None
    next: str | None


def _match_for(
    request: HttpRequest, match_id: int, *, with_hours: bool = False
) -> tuple[Caller, Match]:
    """The match as its page finds it for the caller; another program's is a 404 to a token."""
    caller = caller_for(request, Scope.READ_MATCHES)
    match = match_access_for(caller.user, match_id, with_hours=with_hours).match
    if not caller.reaches_program(match.program_id):
        raise not_found()
    return caller, match


@match_detail_router.get(
    "/{match_id}",
    response=responses({200: MatchDetailOut}, 404),
    openapi_extra=documented_scope(Scope.READ_MATCHES),
)
def match_detail(request: HttpRequest, match_id: int = an_id()) -> MatchDetailOut:
    """A match you may see on its page (your own as a supporter; your programs' as staff):
    its state, dates and hours so far. Read as the page reads it (audited)."""
    caller, match = _match_for(request, match_id, with_hours=True)
    record_match_viewed(match=match, viewer=caller.user)
    hours = hours_of(match)
    return MatchDetailOut(
        id=match.pk,
        program_id=match.program_id,
        program=str(match.program.in_language("name")),
        status=match.status,
        request_id=match.request_id,
        supporter_id=match.supporter_id,
        supporter=match.supporter.display_name,
        started_at=match.started_at,
        planned_end_on=match.planned_end_on,
        paused_at=match.paused_at,
        closed_at=match.closed_at,
        closure_reason=match.closure_reason,
        minutes_logged=hours.minutes,
        contacts_made=hours.contacts_made,
        attempts=hours.attempts,
    )


# On the router that takes a new contact at the same path (api/write/contacts.py): one path,
# one router, so GET and POST both reach it.
@contacts_router.get(
    "/{match_id}/contacts",
    response=responses({200: ContactPage}, 404),
    openapi_extra=documented_scope(Scope.READ_MATCHES),
)
def match_contacts(
    request: HttpRequest,
    match_id: int = an_id(),
    ordering: Literal["-occurred_at", "occurred_at"] = "-occurred_at",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> ContactPage:
    """A match's contacts and attempts, the latest first: when, how long, how, what support
    was given. Never their notes or comments, which stay on the match's page."""
    _caller, match = _match_for(request, match_id)
    page = page_of(
        request,
        contacts_for(match),
        ordering=ordering,
        orderings=CONTACT_ORDERINGS,
        cursor=cursor,
        limit=limit,
    )
    return ContactPage(
        items=[
            ContactEntryOut(
                id=contact.pk,
                occurred_at=contact.occurred_at,
                minutes=contact.minutes,
                method=contact.method,
                was_made=contact.was_made,
                follow_up_on=contact.follow_up_on,
                needs_coordinator=contact.needs_coordinator,
                support_types=list(contact.support_types or []),
            )
            for contact in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@match_detail_router.get(
    "/{match_id}/goals",
    response=responses({200: GoalPage}, 404),
    openapi_extra=documented_scope(Scope.READ_MATCHES),
)
def match_goals(
    request: HttpRequest,
    match_id: int = an_id(),
    ordering: Literal["agreed_on", "-agreed_on"] = "agreed_on",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> GoalPage:
    """A goal-based match's goals, the first agreed first: where each stands, when it was
    agreed and is due for review, how many progress notes it has. Their words and notes stay on
    the match's page. A program that sets no goals has none."""
    _caller, match = _match_for(request, match_id)
    goals = goals_for(match) if match.program.is_goal_based else match.goals.none()
    page = page_of(
        request, goals, ordering=ordering, orderings=GOAL_ORDERINGS, cursor=cursor, limit=limit
    )
    return GoalPage(
        items=[
            GoalOut(
                id=goal.pk,
                status=goal.status,
                agreed_on=goal.agreed_on,
                review_on=goal.review_on,
                updated_at=goal.updated_at,
                notes=len(goal.notes.all()),
            )
            for goal in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )
