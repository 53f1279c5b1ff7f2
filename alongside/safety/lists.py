"""The escalations as a list a coordinator keeps (core/lists.py): columns, filters, sorts.

What happened and the outcome are encrypted: the list neither reads, shows nor sorts them. With
no status chosen it shows the open escalations, as it always has.
"""

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.accounts.models import STAFF_ROLES
from alongside.core.lists import Column, ListDefinition
from alongside.programs.lists import ProgramListFilters
from alongside.programs.queries import program_ids_for
from alongside.safety.models import OPEN_ESCALATION_STATUSES, Escalation, EscalationStatus, Urgency

EVERY_STATUS = "all"
# Waiting ones first, then acknowledged, then resolved (the statuses' order, not their names').
STATUS_ORDER = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(EscalationStatus)),
    output_field=IntegerField(),
)


class EscalationFilters(ProgramListFilters):
    site = None
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[*EscalationStatus.choices, (EVERY_STATUS, _("Every status"))],
        empty_label=_("Open"),
        method="filter_status",
    )
    urgency = django_filters.ChoiceFilter(
        label=_("How urgent"), choices=Urgency.choices, empty_label=_("Either")
    )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # With no status chosen, the list is of the open escalations.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status__in=OPEN_ESCALATION_STATUSES)
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset if value == EVERY_STATUS else queryset.filter(status=value)


def scoped_escalations(user: Any) -> QuerySet[Escalation]:
    """The escalations of the programs the user staffs, without what happened (encrypted)."""
    return (
        Escalation.objects.filter(program_id__in=program_ids_for(user, STAFF_ROLES))
        .select_related("program", "assigned_to")
        .defer("what_happened", "outcome")
    )


def _count(number: int) -> str:
    return ngettext("%(count)s escalation", "%(count)s escalations", number) % {"count": number}


ESCALATION_LIST = ListDefinition(
    name="escalations",
    columns=(
        Column("number", _("Escalation"), lambda row: row.pk, sort=("pk",)),
        Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
        Column(
            "urgency", _("How urgent"), lambda row: row.get_urgency_display(), sort=("urgency",)
        ),
        Column("status", _("Status"), lambda row: row.get_status_display(), sort=(STATUS_ORDER,)),
        Column("with", _("With"), lambda row: str(row.assigned_to or "")),
        Column("raised", _("Raised"), lambda row: row.created_at, sort=("created_at",)),
    ),
    scoped=scoped_escalations,
    filters=EscalationFilters,
    default_sort="-raised",
    count_text=_count,
    page="safety:escalation_list",
    title=_("Escalations"),
)
