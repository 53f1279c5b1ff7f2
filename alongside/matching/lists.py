"""The proposals as a list a coordinator keeps (core/lists.py): columns, filters, sorts, search.

With no status chosen it shows the proposals still holding a request (accepted, asked, drafts),
those accepted first, as the page always has. The peer's last name is encrypted: it neither
shows nor sorts, and the search finds it through its blind index.
"""

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.accounts.models import STAFF_ROLES
from alongside.core.lists import Column, ListDefinition
from alongside.intake.queries import LISTS_DO_NOT_READ
from alongside.matches.lists import PAIR_COLUMNS, search_by_name
from alongside.matching.models import HOLDING_STATUSES, Proposal, ProposalStatus
from alongside.programs.lists import ProgramListFilters, site_filter
from alongside.programs.queries import program_ids_for

# Accepted ones first (ready to confirm), then those waiting for an answer, then drafts.
STATUS_ORDER = Case(
    When(status=ProposalStatus.ACCEPTED, then=Value(0)),
    When(status=ProposalStatus.PROPOSED, then=Value(1)),
    When(status=ProposalStatus.DRAFT, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


class ProposalFilters(ProgramListFilters):
    site = site_filter("request__site_id")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ProposalStatus.choices, empty_label=_("Still open")
    )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # With no status chosen, the list is of the proposals still holding a request.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=HOLDING_STATUSES)
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered


def scoped_proposals(user: Any) -> QuerySet[Proposal]:
    """The proposals of the programs the user staffs, without what the person wrote."""
    return (
        Proposal.objects.visible_to(user)
        .filter(program_id__in=program_ids_for(user, STAFF_ROLES))
        .select_related("program", "request__peer", "supporter__user")
        .defer("decline_reason", *(f"request__{name}" for name in LISTS_DO_NOT_READ))
    )


def _count(number: int) -> str:
    return ngettext("%(count)s proposal", "%(count)s proposals", number) % {"count": number}


PROPOSAL_LIST = ListDefinition(
    name="proposals",
    columns=(
        *PAIR_COLUMNS,
        Column("status", _("Status"), lambda row: row.get_status_display(), sort=(STATUS_ORDER,)),
        Column("score", _("Score"), lambda row: row.score, sort=("score",)),
        Column("answer_by", _("Answer by"), lambda row: row.respond_by, sort=("respond_by",)),
    ),
    scoped=scoped_proposals,
    filters=ProposalFilters,
    default_sort="status",
    count_text=_count,
    search=search_by_name,
    search_label=_("Name"),
    page="matching:proposals",
    title=_("Proposals"),
    ids_first=True,
)
