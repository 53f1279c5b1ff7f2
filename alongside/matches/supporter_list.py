"""Every supporter of the user's programs as a list a coordinator keeps (core/lists.py), with
how many open matches each holds: it lives here, above supporters, because it counts matches.

Supporters on their way (applied, in screening) show the step they wait at and how long they
have waited there: stored on each supporter and kept current by the services that record their
steps (supporters/steps.py), so the list filters and sorts by them like any column. The board
(supporters:board) shows the same people grouped by that step.
"""

from typing import Any

import django_filters
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.blind_index import name_matches
from alongside.core.lists import Column, ListDefinition, list_page, list_response
from alongside.matches.models import OPEN_MATCH_STATUSES, Match
from alongside.programs.lists import ProgramListFilters
from alongside.programs.models import Language
from alongside.supporters.models import Supporter, SupporterStatus

DISPLAY_NAME = Coalesce(
    NullIf(F("user__preferred_name"), Value("")),
    NullIf(F("user__first_name"), Value("")),
    F("user__email"),
)


class SupporterFilters(ProgramListFilters):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SupporterStatus.choices, empty_label=_("Every status")
    )
    language = django_filters.ChoiceFilter(
        label=_("Speaks"),
        choices=Language.choices,
        empty_label=_("Every language"),
        method="filter_language",
    )

    # Its choices are the programs' current steps (ProgramListFilters reads them).
    step = django_filters.ChoiceFilter(
        field_name="current_step_id", label=_("Waiting at the step"), empty_label=_("Any step")
    )

    def filter_language(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # The languages are a list of codes: a code, quoted, is found in it as text (SQLite and
        # PostgreSQL alike).
        return queryset.filter(languages__icontains=f'"{value}"')


def scoped_supporters(user: Any) -> QuerySet[Supporter]:
    """Every supporter of the user's programs, with their open matches counted."""
    open_matches = (
        Match.objects.filter(supporter=OuterRef("pk"), status__in=OPEN_MATCH_STATUSES)
        .order_by()
        .values("supporter")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Supporter.objects.visible_to(user)
        .select_related("user", "program", "site", "current_step__program")
        .defer("about", "status_reason")  # encrypted, and not on the list: never decrypted
        .annotate(open_matches=Coalesce(Subquery(open_matches), 0))
    )


def search_by_name(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Supporters with each word typed at the start of one of their account's names, or as a
    whole word of their encrypted last name (ADR 0006)."""
    return rows.filter(
        name_matches(
            term,
            plain=["user__preferred_name", "user__first_name", "user__last_name"],
            blind=[(Supporter, "last_name", "")],
        )
    )


def _step_name(row: Supporter) -> str:
    return str(row.current_step.in_language("name")) if row.current_step else ""


def _count(number: int) -> str:
    return ngettext("%(count)s supporter", "%(count)s supporters", number) % {"count": number}


SUPPORTER_LIST = ListDefinition(
    name="supporters",
    columns=(
        Column("name", _("Supporter"), lambda row: row.display_name, sort=(DISPLAY_NAME,)),
        Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
        Column(
            "site", _("Site"), lambda row: row.site.name if row.site else "", sort=("site__name",)
        ),
        Column("status", _("Status"), lambda row: row.get_status_display(), sort=("status",)),
        Column("joined", _("Joined"), lambda row: row.created_at, sort=("created_at",)),
        Column("matches", _("Open matches"), lambda row: row.open_matches, sort=("open_matches",)),
        Column("step", _("Step"), _step_name, sort=("current_step__order",)),
        # Fewest days first is the latest to arrive first; those at no step come last.
        Column(
            "waiting",
            _("Days at this step"),
            lambda row: row.days_at_step,
            sort=("step_since",),
            reverse=True,
        ),
    ),
    scoped=scoped_supporters,
    filters=SupporterFilters,
    default_sort="name",
    count_text=_count,
    search=search_by_name,
    search_label=_("Name"),
    page="matches:supporters",
    title=_("Supporters"),
    ids_first=True,
)


@signed_in(*STAFF_ROLES)
@require_GET
def supporter_list(request: AuthenticatedRequest) -> HttpResponse:
    supporters = list_page(SUPPORTER_LIST, request)
    return list_response(
        request,
        "matches/supporter_list.html",
        # Its viewers are all staff, who may export it (reports.export_views).
        {"list": supporters, "page": supporters.page, "can_export": True},
    )
