"""The filters every program's list shares: the program and its site, among the user's own."""

from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from alongside.core.lists import ListFilters
from alongside.programs.models import Language, Site
from alongside.programs.queries import programs_staffed_by


class ProgramListFilters(ListFilters):
    """Filter by program and site, choosing only among the programs the user staffs: another
    program's id is not a choice, so it is left out (and the list is scoped to theirs anyway).
    The choices are read once each (a query for the programs, one for their sites), and a
    choice is checked against them without another."""

    program = django_filters.ChoiceFilter(
        field_name="program_id", label=_("Program"), empty_label=_("All my programs")
    )
    site = django_filters.ChoiceFilter(
        field_name="site_id", label=_("Site"), empty_label=_("Every site")
    )

    def limit_choices(self, user: Any) -> None:
        programs = dict(programs_staffed_by(user).values_list("pk", "name"))
        self.filters["program"].extra["choices"] = [
            (str(pk), name) for pk, name in programs.items()
        ]
        if "site" in self.filters:
            sites = Site.objects.filter(program_id__in=programs).order_by("name", "pk")
            self.filters["site"].extra["choices"] = [
                (str(pk), _site_label(name, programs[program_id], len(programs)))
                for pk, name, program_id in sites.values_list("pk", "name", "program_id")
            ]


def _site_label(name: str, program: str, program_count: int) -> str:
    # Two programs may each have a site of the same name: the program tells them apart.
    return f"{name} ({program})" if program_count > 1 else name


def language_filter(field_name: str = "language") -> django_filters.ChoiceFilter:
    return django_filters.ChoiceFilter(
        field_name=field_name,
        label=_("Language"),
        choices=Language.choices,
        empty_label=_("Every language"),
    )
