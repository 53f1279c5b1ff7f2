"""The request queue as a list a coordinator keeps (core/lists.py): its columns, filters, search.

Only plaintext columns sort. A peer's names are encrypted: the list shows the first name but
cannot sort by it (it sorts by when a request is due, or came in, then by its number), and
neither sorts nor shows the last name; the search finds both through their blind indexes
(`search_by_name`).
"""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.core.blind_index import name_matches
from alongside.core.lists import Column, ListDefinition
from alongside.intake.models import DueState, Peer, RequestStatus, SupportRequest, due_state_is
from alongside.intake.queries import LISTS_DO_NOT_READ
from alongside.programs.lists import ProgramListFilters, language_filter


class RequestFilters(ProgramListFilters):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[choice for choice in RequestStatus.choices if choice[0] != RequestStatus.NEW],
        empty_label=RequestStatus.NEW.label,
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=DueState.choices,
        empty_label=_("Any time"),
        method="filter_due",
    )
    language = language_filter()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        # With no status chosen, the queue is of the requests waiting for a match.
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.filter(status=RequestStatus.NEW)
        filtered: QuerySet[Any] = super().filter_queryset(queryset)
        return filtered

    def filter_due(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(due_state_is(DueState(value), timezone.now()))


def search_by_name(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Requests whose peer has each word typed as a whole word of their first or last name
    (both encrypted: through their blind indexes, ADR 0006)."""
    return rows.filter(
        name_matches(
            term,
            plain=[],
            blind=[(Peer, "first_name", "peer__"), (Peer, "last_name", "peer__")],
        )
    )


def scoped_requests(user: Any) -> QuerySet[SupportRequest]:
    """Every request the user staffs, without what the person wrote or how to reach them."""
    return (
        SupportRequest.objects.visible_to(user)
        .select_related("program", "peer", "experience")
        .defer(*LISTS_DO_NOT_READ)
    )


def _count(number: int) -> str:
    return ngettext("%(count)s request", "%(count)s requests", number) % {"count": number}


REQUEST_QUEUE = ListDefinition(
    name="requests",
    columns=(
        Column("name", _("Request"), lambda row: row.peer.first_name),
        Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
        Column("experience", _("Support with"), lambda row: str(row.experience or "")),
        Column("source", _("Came in by"), lambda row: row.get_source_display()),
        Column("waiting", _("Waiting since"), lambda row: row.received_at, sort=("received_at",)),
        Column("due", _("Contact due by"), lambda row: row.due_at, sort=("due_at",)),
    ),
    scoped=scoped_requests,
    filters=RequestFilters,
    default_sort="due",
    count_text=_count,
    search=search_by_name,
    search_label=_("Name"),
    page="intake:queue",
    title=_("Requests"),
)
