"""The filters every program's list shares: the program and its site, among the user's own; and
the tabs of a page that keeps several lists, each counted in the program chosen."""

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import django_filters
from django.db.models import F, JSONField, Value
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.lists import ListDefinition, ListFilters, ListPage
from alongside.programs.models import Language, PipelineStep, Program
from alongside.programs.queries import holds_role_in, program_ids_for

PROGRAM = "program"


def program_filter(field_name: str = "program_id") -> django_filters.ChoiceFilter:
    """The program, among the user's own (`ProgramListFilters.limit_choices` offers them)."""
    return django_filters.ChoiceFilter(
        field_name=field_name, label=_("Program"), empty_label=_("All my programs")
    )


def site_filter(field_name: str = "site_id") -> django_filters.ChoiceFilter:
    """A site of the user's programs (`ProgramListFilters.limit_choices` offers them)."""
    return django_filters.ChoiceFilter(
        field_name=field_name, label=_("Site"), empty_label=_("Every site")
    )


class ProgramListFilters(ListFilters):
    """Filter by program and site (and, for a list that declares a `step` filter, by the step a
    supporter waits at), choosing only among the programs the user staffs (or holds one of
    `program_roles` in): another program's id is not a choice, so it is left out (and the list
    is scoped to theirs anyway). The programs, their sites and their current steps are read in
    one query, and a choice is checked against them without another."""

    program_roles: Collection[Role] = STAFF_ROLES
    program = program_filter()
    site = site_filter()

    def limit_choices(self, user: Any) -> None:
        ids = program_ids_for(user, self.program_roles)
        programs: dict[int, Program] = {}
        sites: list[tuple[int, str, int]] = []
        steps: list[PipelineStep] = []
        for kind, program_id, name, languages, item_id, item_name, texts, order in _choices_rows(
            ids, with_steps="step" in self.filters
        ):
            program = programs.setdefault(
                program_id, Program(pk=program_id, name=name, languages=languages)
            )
            if kind == _STEP:
                steps.append(
                    PipelineStep(
                        pk=item_id, program=program, name=item_name, translations=texts, order=order
                    )
                )
            elif item_id is not None:
                sites.append((item_id, item_name, program_id))
        several = len(programs) > 1
        self.filters["program"].extra["choices"] = [
            (str(pk), program.name)
            for pk, program in sorted(programs.items(), key=lambda item: (item[1].name, item[0]))
        ]
        if "site" in self.filters:
            self.filters["site"].extra["choices"] = [
                (str(pk), _labelled(name, programs[program_id].name, several))
                for pk, name, program_id in sorted(sites, key=lambda site: (site[1], site[0]))
            ]
        if "step" in self.filters:
            steps.sort(key=lambda step: (step.program.name, step.program_id, step.order))
            self.filters["step"].extra["choices"] = [
                (str(step.pk), _labelled(str(step.in_language("name")), step.program.name, several))
                for step in steps
            ]


_SITE, _STEP = 0, 1


def _choices_rows(program_ids: Any, *, with_steps: bool) -> Iterable[tuple[Any, ...]]:
    """Each program with each of its sites (or none), then, `with_steps`, each of its current
    steps: rows of one shape, read together."""
    shape = ("row_kind", "program_", "name_", "languages_", "item", "item_name", "texts", "order_")
    sites = (
        Program.objects.filter(pk__in=program_ids)
        .annotate(
            row_kind=Value(_SITE),
            program_=F("pk"),
            name_=F("name"),
            languages_=F("languages"),
            item=F("sites__pk"),
            item_name=F("sites__name"),
            texts=Value(None, output_field=JSONField()),
            order_=Value(0),
        )
        .order_by()
        .values_list(*shape)
    )
    if not with_steps:
        return sites
    steps = (
        PipelineStep.objects.current()
        .filter(program_id__in=program_ids)
        .annotate(
            row_kind=Value(_STEP),
            program_=F("program_id"),
            name_=F("program__name"),
            languages_=F("program__languages"),
            item=F("pk"),
            item_name=F("name"),
            texts=F("translations"),
            order_=F("order"),
        )
        .order_by()
        .values_list(*shape)
    )
    return sites.union(steps, all=True).order_by()


def _labelled(name: str, program: str, several: bool) -> str:
    # Two programs may each have a site (or a step) of the same name: the program tells them
    # apart.
    return f"{name} ({program})" if several else name


def language_filter(field_name: str = "language") -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=field_name,
        label=_("Language"),
        choices=Language.choices,
        empty_label=_("Every language"),
    )


# ---- a page of several lists, one at a time ------------------------------------------------


@dataclass(frozen=True)
class Tab:
    """One of the lists a page keeps, and what its tab says."""

    definition: ListDefinition
    label: str | Promise


@dataclass(frozen=True)
class CountedTab:
    """A tab as core/_list_tabs.html draws it: its list counted, and its address."""

    label: str | Promise
    count: int
    href: str
    current: bool


def chosen_program(user: Any, params: QueryDict, roles: Collection[Role] = STAFF_ROLES) -> str:
    """The program the parameters choose, if the user holds one of `roles` in it, else ""."""
    value = params.get(PROGRAM, "")
    if not (value.isascii() and value.isdigit() and int(value) < 2**31):
        return ""
    return value if holds_role_in(user, roles, int(value)) else ""


def program_chosen_on(page: ListPage) -> str:
    """The program the list's filters chose (one of the user's), else ""."""
    return str(getattr(page.form, "cleaned_data", {}).get(PROGRAM) or "")


def counted_tabs(
    tabs: Sequence[Tab], user: Any, *, program: str, current: ListDefinition | None = None
) -> list[CountedTab]:
    """Each list counted in `program` (one of the user's, or "" for all of them), a query each,
    and linked to with it: the program is the one filter every list of a page shares. A tab
    counts its list's `scoped` rows: what a list holds is there, not in a default filter."""
    counted = []
    for tab in tabs:
        rows = tab.definition.scoped(user)
        if program:
            rows = rows.filter(**{tab.definition.filters.base_filters[PROGRAM].field_name: program})
        query = f"?{urlencode({PROGRAM: program})}" if program else ""
        counted.append(
            CountedTab(
                label=tab.label,
                count=rows.count(),
                href=f"{reverse(tab.definition.page)}{query}",
                current=tab.definition is current,
            )
        )
    return counted
