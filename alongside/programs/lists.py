"""The filters every program's list shares: the program and its site, among the user's own."""

from collections.abc import Collection
from typing import Any

import django_filters
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.lists import ListFilters
from alongside.programs.models import Language, Program
from alongside.programs.queries import program_ids_for


class ProgramListFilters(ListFilters):
    """Filter by program and site, choosing only among the programs the user staffs (or holds
    one of `program_roles` in): another program's id is not a choice, so it is left out (and
    the list is scoped to theirs anyway). The programs and their sites are read in one query,
    and a choice is checked against them without another."""

    program_roles: Collection[Role] = STAFF_ROLES
    program = django_filters.ChoiceFilter(
        field_name="program_id", label=_("Program"), empty_label=_("All my programs")
    )
    site = django_filters.ChoiceFilter(
        field_name="site_id", label=_("Site"), empty_label=_("Every site")
    )

    def limit_choices(self, user: Any) -> None:
        programs: dict[int, str] = {}
        sites: list[tuple[int, str, int]] = []
        rows = (
            Program.objects.filter(pk__in=program_ids_for(user, self.program_roles))
            .order_by("name", "pk", "sites__name", "sites__pk")
            .values_list("pk", "name", "sites__pk", "sites__name")
        )
        for program_id, program_name, site_id, site_name in rows:
            programs[program_id] = program_name
            if site_id is not None:
                sites.append((site_id, site_name, program_id))
        self.filters["program"].extra["choices"] = [
            (str(pk), name) for pk, name in programs.items()
        ]
        if "site" in self.filters:
            self.filters["site"].extra["choices"] = [
                (str(pk), _site_label(name, programs[program_id], len(programs)))
                for pk, name, program_id in sorted(sites, key=lambda site: (site[1], site[0]))
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
