"""Reads of how often the directory's resources are shared (the directory: resources/lists.py)."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from alongside.accounts.models import STAFF_ROLES, User
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.resources.models import Referral


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
