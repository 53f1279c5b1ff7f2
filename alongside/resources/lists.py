"""The resource directory as a list everyone of a program keeps (core/lists.py): its columns,
filters, search.

Everyone with a role in a program reads its listed resources; its staff also find those it no
longer lists (to list them again). A resource's texts show in the reader's language when they
are written in it (ADR 0004); the list sorts by its name in the program's main language. A
resource is a service, not a person: its export holds no personal data.
"""

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import roles_of
from alongside.core.lists import Column, ListDefinition
from alongside.programs.lists import ProgramListFilters
from alongside.programs.models import Language
from alongside.programs.queries import program_ids_for
from alongside.resources.models import Resource, ResourceCategory

DIRECTORY_ROLES = STAFF_ROLES | {Role.SUPERVISOR, Role.SUPPORTER, Role.REFERRER}
NOT_LISTED = "no"
LISTED_OR_NOT = "all"
# The categories in the order the form offers them, not by their codes.
CATEGORY_ORDER = Case(
    *(When(category=category, then=Value(rank)) for rank, category in enumerate(ResourceCategory)),
    output_field=IntegerField(),
)


class ResourceFilters(ProgramListFilters):
    program_roles = DIRECTORY_ROLES
    site = None
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=ResourceCategory.choices, empty_label=_("Every category")
    )
    region = django_filters.ChoiceFilter(label=_("Region"), empty_label=_("Every region"))
    language = django_filters.ChoiceFilter(
        label=_("Language"),
        choices=Language.choices,
        empty_label=_("Every language"),
        method="filter_language",
    )
    # The choices name resources, several at once (as French says them).
    listed = django_filters.ChoiceFilter(
        label=_("In the directory"),
        choices=[
            (NOT_LISTED, pgettext_lazy("resources", "Not listed")),
            (LISTED_OR_NOT, pgettext_lazy("resources", "Listed or not")),
        ],
        empty_label=pgettext_lazy("resources", "Listed"),
        method="filter_listed",
    )

    def limit_choices(self, user: Any) -> None:
        super().limit_choices(user)
        regions = (
            self.queryset.exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        )
        self.filters["region"].extra["choices"] = [(region, region) for region in regions]
        if not roles_of(user) & STAFF_ROLES:
            # Only staff keep what is not listed; the others read the directory as listed.
            del self.filters["listed"]

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # With nothing chosen (or no choice offered), the directory is of its listed resources.
        if not self.form.cleaned_data.get("listed"):
            queryset = queryset.filter(is_active=True)
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered

    def filter_language(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # The languages are a list of codes: a code, quoted, is found in it as text (SQLite and
        # PostgreSQL alike).
        return queryset.filter(languages__icontains=f'"{value}"')

    def filter_listed(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(is_active=False) if value == NOT_LISTED else queryset


def scoped_resources(user: Any) -> QuerySet[Resource]:
    """The directory of the user's programs: the listed resources, and for the programs they
    staff those not listed as well."""
    return (
        Resource.objects.visible_to(user)
        .filter(Q(is_active=True) | Q(program_id__in=program_ids_for(user, STAFF_ROLES)))
        .select_related("program")
    )


def search_resources(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Resources whose name, what they offer or whom they are for holds what was typed."""
    return rows.filter(
        Q(name__icontains=term) | Q(offers__icontains=term) | Q(eligibility__icontains=term)
    )


def _count(number: int) -> str:
    return ngettext("%(count)s resource", "%(count)s resources", number) % {"count": number}


def _text(field: str) -> Any:
    return lambda row: str(row.in_language(field))


RESOURCE_DIRECTORY = ListDefinition(
    name="resources",
    columns=(
        Column("name", _("Resource"), _text("name"), sort=("name",)),
        Column("offers", _("What it offers"), _text("offers")),
        Column("eligibility", _("Who it is for"), _text("eligibility")),
        Column("contact", _("How to reach it"), _text("contact")),
        Column("languages", _("Languages"), lambda row: row.language_names),
        Column(
            "category",
            _("Category"),
            lambda row: row.get_category_display(),
            sort=(CATEGORY_ORDER,),
        ),
        Column("region", _("Region"), lambda row: row.region, sort=("region",)),
        Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
        Column(
            "reviewed",
            _("Last reviewed"),
            lambda row: row.last_reviewed_on,
            sort=("last_reviewed_on",),
        ),
    ),
    scoped=scoped_resources,
    filters=ResourceFilters,
    default_sort="name",
    count_text=_count,
    search=search_resources,
    search_label=_("Name or what it offers"),
    page="resources:directory",
    title=_("Resources"),
    holds_personal_data=False,
)
