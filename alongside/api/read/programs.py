"""The programs a caller coordinates or administers and their public settings: the programs'
settings pages' own query (`programs_staffed_by`, `get_program_for`). No personal data."""

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import not_found, responses
from alongside.api.read.params import Cursor, Limit, an_id
from alongside.programs.models import Program
from alongside.programs.permissions import get_program_for
from alongside.programs.queries import programs_staffed_by

programs_router = Router(tags=["programs"])
ORDERINGS = {"name": "name", "-name": "-name"}


class ExperienceOut(Schema):
    id: int
    name: str


class ProgramOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    languages: list[str]
    contact_methods: list[str]
    time_zone: str
    accepts_public_requests: bool
    accepts_referrals: bool
    accepts_phone_requests: bool
    recruits_supporters: bool
    is_employer_blind: bool
    is_goal_based: bool
    sla_business_days: int
    match_length_weeks: int | None
    experiences: list[ExperienceOut]


class ProgramPage(Schema):
    items: list[ProgramOut]
    next_cursor: str | None
    next: str | None


def program_out(program: Program) -> ProgramOut:
    fallbacks = program.content_languages()[:1]
    return ProgramOut(
        id=program.pk,
        slug=program.slug,
        name=str(program.in_language("name")),
        description=str(program.in_language("description")),
        languages=list(program.languages or []),
        contact_methods=list(program.contact_methods or []),
        time_zone=program.time_zone,
        accepts_public_requests=program.accepts_public_requests,
        accepts_referrals=program.accepts_referrals,
        accepts_phone_requests=program.accepts_phone_requests,
        recruits_supporters=program.recruits_supporters,
        is_employer_blind=program.is_employer_blind,
        is_goal_based=program.is_goal_based,
        sla_business_days=program.sla_business_days,
        match_length_weeks=program.match_length_weeks,
        experiences=[
            ExperienceOut(id=item.pk, name=str(item.in_language("name", fallbacks=fallbacks)))
            for item in program.experiences.all()
        ],
    )


@programs_router.get(
    "/",
    response=responses({200: ProgramPage}),
    openapi_extra=documented_scope(Scope.READ_PROGRAMS),
)
def programs(
    request: HttpRequest,
    ordering: Literal["name", "-name"] = "name",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> ProgramPage:
    """The programs you coordinate or administer (a token: its own), with their public
    settings: languages, ways in, the days to first contact, a match's length."""
    caller = caller_for(request, Scope.READ_PROGRAMS)
    rows = caller.narrow(programs_staffed_by(caller.user), "pk").prefetch_related("experiences")
    page = page_of(
        request, rows, ordering=ordering, orderings=ORDERINGS, cursor=cursor, limit=limit
    )
    return ProgramPage(
        items=[program_out(program) for program in page.items],
        next_cursor=page.next_cursor,
        next=page.next,
    )


@programs_router.get(
    "/{program_id}",
    response=responses({200: ProgramOut}, 404),
    openapi_extra=documented_scope(Scope.READ_PROGRAMS),
)
def program(request: HttpRequest, program_id: int = an_id()) -> ProgramOut:
    """One program you coordinate or administer, with its public settings."""
    caller = caller_for(request, Scope.READ_PROGRAMS)
    found = get_program_for(caller.user, program_id)
    if not caller.reaches_program(found.pk):
        raise not_found()
    return program_out(found)
