"""Reads of the directory and of how often its resources are shared."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from alongside.accounts.models import STAFF_ROLES, User
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.resources.models import Referral, Resource


@dataclass(frozen=True)
class DirectorySearch:
    text: str = ""
    category: str = ""
    region: str = ""
    language: str = ""


def search_directory(user: User, search: DirectorySearch) -> QuerySet[Resource]:
    """Listed resources of the user's programs matching the search, by name."""
    found = Resource.objects.visible_to(user).filter(is_active=True).select_related("program")
    if search.text:
        found = found.filter(
            Q(name__icontains=search.text)
            | Q(offers__icontains=search.text)
            | Q(eligibility__icontains=search.text)
        )
    if search.category:
        found = found.filter(category=search.category)
    if search.region:
        found = found.filter(region__iexact=search.region)
    if search.language:
        # A JSON list's text holds each code in quotes; this works on SQLite and PostgreSQL.
        found = found.filter(languages__icontains=f'"{search.language}"')
    return found.order_by("name")


def regions_for(user: User) -> list[str]:
    return sorted(
        set(Resource.objects.visible_to(user).exclude(region="").values_list("region", flat=True))
    )


@dataclass(frozen=True)
class ReferralCount:
    resource: str
    program: str
    region: str
    count: int


def referral_counts(user: User) -> list[ReferralCount]:
    """How often each resource was shared, by program and region, most used first."""
    rows = (
        Referral.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
        .values("resource__name", "program__name", "region")
        .annotate(count=Count("id"))
        .order_by("-count", "resource__name")
    )
    return [
        ReferralCount(
            resource=row["resource__name"],
            program=row["program__name"],
            region=row["region"],
            count=row["count"],
        )
        for row in rows
    ]


def program_chosen(programs: QuerySet[Program], posted_id: str) -> Program | None:
    """The program picked on a resource's form among `programs`, else the first of them."""
    chosen = programs.filter(pk=int(posted_id)).first() if posted_id.isdigit() else None
    return chosen or programs.first()
