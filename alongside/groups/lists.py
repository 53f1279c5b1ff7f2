"""The group sessions as two lists a coordinator keeps (core/lists.py), each behind its tab:
those coming up, soonest first, and those gone by, latest first; each with how many are
invited, coming and came. A session is named by its title; the list names nobody.
"""

from typing import Any

import django_filters
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.core.lists import Column, ListDefinition
from alongside.groups.models import GroupSession, SessionKind
from alongside.groups.queries import sessions_for_staff, with_counts
from alongside.programs.lists import ProgramListFilters, Tab

GOING_AHEAD = "going_ahead"
CANCELLED = "cancelled"
# The kinds in the order the form offers them, not by their codes.
KIND_ORDER = Case(
    *(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(SessionKind)),
    output_field=IntegerField(),
)


class SessionFilters(ProgramListFilters):
    site = None
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=SessionKind.choices, empty_label=_("Every kind")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[(GOING_AHEAD, _("Going ahead")), (CANCELLED, _("Cancelled"))],
        empty_label=_("Every status"),
        method="filter_status",
    )

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(cancelled_at__isnull=value == GOING_AHEAD)


def upcoming_sessions(user: Any) -> QuerySet[GroupSession]:
    """The sessions of the user's programs that have not started, with their counts."""
    return with_counts(sessions_for_staff(user).filter(starts_at__gte=timezone.now()))


def past_sessions(user: Any) -> QuerySet[GroupSession]:
    """The sessions of the user's programs that have started, with their counts."""
    return with_counts(sessions_for_staff(user).filter(starts_at__lt=timezone.now()))


def search_by_title(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    return rows.filter(title__icontains=term)


def _count(number: int) -> str:
    return ngettext("%(count)s session", "%(count)s sessions", number) % {"count": number}


def _status(session: GroupSession) -> str:
    return str(_("Cancelled") if session.is_cancelled else _("Going ahead"))


COLUMNS = (
    Column("title", _("Session"), lambda row: row.title, sort=("title",)),
    Column("kind", _("Kind"), lambda row: row.get_kind_display(), sort=(KIND_ORDER,)),
    Column("when", _("When"), lambda row: row.starts_at, sort=("starts_at",)),
    Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
    Column("status", _("Status"), _status),
    Column("invited", _("Invited"), lambda row: row.invited_count, sort=("invited_count",)),
    Column("coming", _("Coming"), lambda row: row.coming_count, sort=("coming_count",)),
    Column("attended", _("Attended"), lambda row: row.attended_count, sort=("attended_count",)),
)


def _sessions(name: str, **fields: Any) -> ListDefinition:
    return ListDefinition(
        name=name,
        columns=COLUMNS,
        filters=SessionFilters,
        count_text=_count,
        search=search_by_title,
        search_label=_("Title"),
        holds_personal_data=False,
        **fields,
    )


UPCOMING_SESSIONS = _sessions(
    "sessions_coming_up",
    scoped=upcoming_sessions,
    default_sort="when",
    page="groups:list",
    title=_("Sessions coming up"),
)
PAST_SESSIONS = _sessions(
    "sessions_past",
    scoped=past_sessions,
    default_sort="-when",
    page="groups:past",
    title=_("Past sessions"),
)
TABS = [Tab(UPCOMING_SESSIONS, _("Coming up")), Tab(PAST_SESSIONS, _("Past sessions"))]
