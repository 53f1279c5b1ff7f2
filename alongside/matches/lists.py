"""The match list as a list a coordinator keeps (core/lists.py): its columns, filters, search.

A supporter sees only their own matches in it, a coordinator their programs' (the same
`visible_to` as a match's page). The peer's names are encrypted: the first name shows but does
not sort, the last name neither shows nor sorts, and the search finds both through their blind
indexes. The site is the person's (the request's).
"""

from operator import attrgetter
from typing import Any

import django_filters
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.blind_index import name_matches
from alongside.core.lists import Column, ListDefinition
from alongside.intake.models import Peer
from alongside.matches.models import MatchStatus
from alongside.matches.queries import hours_from_minutes, matches_for_list
from alongside.programs.lists import ProgramListFilters, site_filter


def supporter_name(path: str = "") -> Coalesce:
    """A supporter's name as a list shows it (User.display_name), to sort by: preferred, else
    first, else the start of their e-mail address (sorted by the whole address). `path` reaches
    the match (or proposal) from the list's row ("match__" from a check-in)."""
    user = f"{path}supporter__user__"
    return Coalesce(
        NullIf(F(f"{user}preferred_name"), Value("")),
        NullIf(F(f"{user}first_name"), Value("")),
        F(f"{user}email"),
    )


class MatchFilters(ProgramListFilters):
    program_roles = STAFF_ROLES | {Role.SUPERVISOR}
    site = site_filter("request__site_id")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=MatchStatus.choices, empty_label=_("Every status")
    )


def pair_columns(path: str = "") -> tuple[Column, ...]:
    """Who a match (or a proposal, matching/lists.py) pairs, and in which program; `path`
    reaches it from the list's row ("match__" from a check-in or a contact)."""
    attribute = path.removesuffix("__").replace("__", ".")

    def pair(row: Any) -> Any:
        return attrgetter(attribute)(row) if attribute else row

    return (
        Column(
            "peer",
            _("Person"),
            lambda row: pair(row).request.peer.first_name,
        ),
        Column(
            "supporter",
            _("Supporter"),
            lambda row: pair(row).supporter.display_name,
            sort=(supporter_name(path),),
        ),
        Column(
            "program",
            _("Program"),
            lambda row: pair(row).program.name,
            sort=(f"{path}program__name",),
        ),
    )


PAIR_COLUMNS = pair_columns()


def pair_named(term: str, path: str = "") -> Q:
    """Matches (or proposals) whose peer or supporter has each word typed: at the start of the
    supporter's first (or preferred) name, or as a whole word of the peer's encrypted first or
    last name (ADR 0006). `path` reaches them from the list's row ("match__")."""
    peer = f"{path}request__peer__"
    return name_matches(
        term,
        plain=[
            f"{path}supporter__user__first_name",
            f"{path}supporter__user__preferred_name",
        ],
        blind=[(Peer, "first_name", peer), (Peer, "last_name", peer)],
    )


def search_by_name(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Matches (or proposals) whose peer or supporter is named `term` (`pair_named`)."""
    return rows.filter(pair_named(term))


def _count(number: int) -> str:
    return ngettext("%(count)s match", "%(count)s matches", number) % {"count": number}


MATCH_LIST = ListDefinition(
    name="matches",
    columns=(
        *PAIR_COLUMNS,
        Column("status", _("Status"), lambda row: row.get_status_display(), sort=("status",)),
        Column("start", _("Started"), lambda row: row.started_at, sort=("started_at",)),
        Column("hours", _("Hours"), lambda row: hours_from_minutes(row.minutes_logged)),
        Column(
            "last_contact",
            _("Last contact"),
            lambda row: row.last_contact_at,
            sort=("last_contact_at",),
        ),
    ),
    scoped=matches_for_list,
    filters=MatchFilters,
    default_sort="-start",
    count_text=_count,
    search=search_by_name,
    search_label=_("Name"),
    page="matches:list",
    title=_("Matches"),
    ids_first=True,
)
