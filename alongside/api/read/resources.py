"""The resource directory as each person reads it on its page (`scoped_resources`, listed
resources only), then the token's program (ADR 0015). Services and how to reach them: no
personal data."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import responses
from alongside.api.read.params import Cursor, Limit, ProgramFilter
from alongside.programs.models import Language
from alongside.resources.lists import scoped_resources
from alongside.resources.models import ResourceCategory

resources_router = Router(tags=["resources"])
ORDERINGS = {"name": "name", "-name": "-name"}


class ResourceOut(Schema):
    id: int
    program_id: int
    name: str
    offers: str
    category: str
    region: str
    languages: list[str]
    contact: str
    eligibility: str
    last_reviewed_on: dt.date | None


class ResourcePage(Schema):
    items: list[ResourceOut]
    next_cursor: str | None
    next: str | None


@resources_router.get(
    "/",
    response=responses({200: ResourcePage}),
    openapi_extra=documented_scope(Scope.READ_PROGRAMS),
)
def resources(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    category: ResourceCategory | None = None,
    language: Language | None = None,
    ordering: Literal["name", "-name"] = "name",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> ResourcePage:
    """The resources listed in your programs' directories (everyone with a role in a program
    reads its directory), by name."""
    caller = caller_for(request, Scope.READ_PROGRAMS)
    rows = caller.narrow(scoped_resources(caller.user).filter(is_active=True))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if category is not None:
        rows = rows.filter(category=category)
    if language is not None:
        # A list of codes: a code, quoted, is found in it as text (as the directory's filter).
        rows = rows.filter(languages__icontains=f'"{language.value}"')
    page = page_of(
        request, rows, ordering=ordering, orderings=ORDERINGS, cursor=cursor, limit=limit
    )
    return ResourcePage(
        items=[
            ResourceOut(
                id=resource.pk,
                program_id=resource.program_id,
                name=str(resource.in_language("name")),
                offers=str(resource.in_language("offers")),
                category=resource.category,
                region=resource.region,
                languages=list(resource.languages or []),
                contact=str(resource.in_language("contact")),
                eligibility=str(resource.in_language("eligibility")),
                last_reviewed_on=resource.last_reviewed_on,
            )
            for resource in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )
