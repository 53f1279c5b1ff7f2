"""The follow-up queue: what a coordinator must chase, as four lists a coordinator keeps
(core/lists.py), one page each behind its tab, each tab counted in the program chosen.

- monthly hours reports a supporter has not confirmed,
- open matches without contact even after the supporter was nudged,
- check-ins due and not done,
- follow-ups a supporter asked for (due in the last two weeks).

The queue's own address opens the first of them with something to chase. The peer's last name
is encrypted: no list shows nor sorts it, and the search finds it through its blind index.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import django_filters
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.blind_index import name_matches
from alongside.core.lists import Column, ListDefinition, list_page, list_response
from alongside.matches import queries
from alongside.matches.lists import pair_columns, pair_named, supporter_name
from alongside.matches.models import CheckInKind
from alongside.programs.lists import (
    ProgramListFilters,
    Tab,
    chosen_program,
    counted_tabs,
    language_filter,
    program_chosen_on,
    program_filter,
    site_filter,
)
from alongside.supporters.models import Supporter

# ---- monthly hours not confirmed ---------------------------------------------------------

LAST_MONTH = "last"
EARLIER = "earlier"
PAID = "paid"
VOLUNTEER = "volunteer"


def _last_month_began() -> dt.date:
    return (timezone.localdate().replace(day=1) - dt.timedelta(days=1)).replace(day=1)


class HoursReportFilters(ProgramListFilters):
    site = site_filter("supporter__site_id")
    month = django_filters.ChoiceFilter(
        label=_("Month"),
        choices=[(LAST_MONTH, _("Last month")), (EARLIER, _("Earlier months"))],
        empty_label=_("Any month"),
        method="filter_month",
    )
    paid = django_filters.ChoiceFilter(
        label=_("Supporters"),
        choices=[(VOLUNTEER, _("Volunteers")), (PAID, _("Paid workers"))],
        empty_label=_("Volunteers and paid workers"),
        method="filter_paid",
    )

    def filter_month(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        began = _last_month_began()
        if value == LAST_MONTH:
            return queryset.filter(month__gte=began)
        return queryset.filter(month__lt=began)

    def filter_paid(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(supporter__is_paid=value == PAID)


def search_supporter(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Reports whose supporter has each word typed at the start of one of their account's
    names, or as a whole word of their encrypted last name (ADR 0006)."""
    names = ("preferred_name", "first_name", "last_name")
    return rows.filter(
        name_matches(
            term,
            plain=[f"supporter__user__{name}" for name in names],
            blind=[(Supporter, "last_name", "supporter__")],
        )
    )


def _reports(number: int) -> str:
    return ngettext("%(count)s report not confirmed", "%(count)s reports not confirmed", number) % {
        "count": number
    }


MISSING_HOURS_REPORTS = ListDefinition(
    name="missing_hours_reports",
    columns=(
        Column(
            "supporter",
            _("Supporter"),
            lambda row: row.supporter.display_name,
            sort=(supporter_name(),),
        ),
        Column("month", _("Month"), lambda row: row.month, sort=("month",)),
        Column("program", _("Program"), lambda row: row.program.name, sort=("program__name",)),
        Column(
            "site",
            _("Site"),
            lambda row: row.supporter.site.name if row.supporter.site else "",
            sort=("supporter__site__name",),
        ),
        Column(
            "hours",
            _("Hours logged"),
            lambda row: queries.hours_from_minutes(row.logged_minutes),
            sort=("logged_minutes",),
        ),
        Column(
            "contacts",
            _("Contacts logged"),
            lambda row: row.logged_contacts,
            sort=("logged_contacts",),
        ),
    ),
    scoped=queries.missing_hours_reports,
    filters=HoursReportFilters,
    default_sort="month",
    count_text=_reports,
    search=search_supporter,
    search_label=_("Supporter's name"),
    page="matches:follow_up_hours",
    ids_first=True,
    title=_("Monthly hours not confirmed"),
)

# ---- the lists of a match's moments --------------------------------------------------------


class OfMatchFilters(ProgramListFilters):
    """The filters of a list whose rows belong to a match: its program, the person's site and
    language."""

    program = program_filter("match__program_id")
    site = site_filter("match__request__site_id")
    language = language_filter("match__request__language")


class CheckInFilters(OfMatchFilters):
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=CheckInKind.choices, empty_label=_("Every kind")
    )


def search_pair(rows: QuerySet[Any], term: str) -> QuerySet[Any]:
    """Rows of the matches whose peer or supporter is named `term`."""
    return rows.filter(pair_named(term, "match__"))


def _silent(number: int) -> str:
    return ngettext(
        "%(count)s match without contact", "%(count)s matches without contact", number
    ) % {"count": number}


def _checkins(number: int) -> str:
    return ngettext("%(count)s check-in due", "%(count)s check-ins due", number) % {"count": number}


def _follow_ups(number: int) -> str:
    return ngettext("%(count)s follow-up due", "%(count)s follow-ups due", number) % {
        "count": number
    }


def _checkins_due(user: Any) -> QuerySet[Any]:
    return queries.checkins_due(user, timezone.localdate())


def _follow_ups_due(user: Any) -> QuerySet[Any]:
    return queries.follow_ups_due(user, timezone.localdate())


OF_MATCH = pair_columns("match__")

SILENT_MATCHES = ListDefinition(
    name="silent_matches",
    columns=(
        *OF_MATCH,
        Column(
            "since", _("No contact since"), lambda row: row.silent_since, sort=("silent_since",)
        ),
    ),
    scoped=queries.silent_matches,
    filters=OfMatchFilters,
    default_sort="since",
    count_text=_silent,
    search=search_pair,
    search_label=_("Name"),
    page="matches:follow_up_silent",
    ids_first=True,
    title=_("Matches without contact"),
)

CHECKINS_DUE = ListDefinition(
    name="checkins_due",
    columns=(
        # A milestone's month sorts them (1, 3, 6 months), the closure check-in after them.
        Column("checkin", _("Check-in"), lambda row: str(row), sort=("month",)),
        *OF_MATCH,
        Column("due", _("Due"), lambda row: row.due_on, sort=("due_on",)),
    ),
    scoped=_checkins_due,
    filters=CheckInFilters,
    default_sort="due",
    count_text=_checkins,
    search=search_pair,
    search_label=_("Name"),
    page="matches:follow_up_checkins",
    ids_first=True,
    title=_("Check-ins due"),
)

FOLLOW_UPS_DUE = ListDefinition(
    name="follow_ups_due",
    columns=(
        *OF_MATCH,
        Column("contact", _("Contact on"), lambda row: row.occurred_at, sort=("occurred_at",)),
        Column("due", _("Follow up on"), lambda row: row.follow_up_on, sort=("follow_up_on",)),
    ),
    scoped=_follow_ups_due,
    filters=OfMatchFilters,
    default_sort="due",
    count_text=_follow_ups,
    search=search_pair,
    search_label=_("Name"),
    page="matches:follow_up_asked",
    ids_first=True,
    title=_("Follow-ups supporters asked for"),
)

# ---- the page -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpList:
    """One of the queue's lists as its page shows it: what it holds, and when it is empty."""

    tab: Tab
    rows_named: str | Promise  # what the rows are, as "Filter the …" ends
    about: str | Promise
    empty: str | Promise
    rows_template: str


FOLLOW_UP_LISTS = {
    "hours": FollowUpList(
        Tab(MISSING_HOURS_REPORTS, _("Monthly hours not confirmed")),
        rows_named=_("hours reports not confirmed"),
        about=_("Reports of a month gone by that the supporter has not confirmed yet."),
        empty=_("Every report is in."),
        rows_template="matches/_follow_up_hours_rows.html",
    ),
    "silent": FollowUpList(
        Tab(SILENT_MATCHES, _("Matches without contact")),
        rows_named=_("matches without contact"),
        about=_("Open matches with no contact logged for weeks, even after a reminder."),
        empty=_("Every active match has recent contact."),
        rows_template="matches/_follow_up_silent_rows.html",
    ),
    "checkins": FollowUpList(
        Tab(CHECKINS_DUE, _("Check-ins due")),
        rows_named=_("check-ins due"),
        about=_("Check-ins of open matches due by today and not done yet."),
        empty=_("No check-in is due."),
        rows_template="matches/_follow_up_checkin_rows.html",
    ),
    "asked": FollowUpList(
        Tab(FOLLOW_UPS_DUE, _("Follow-ups supporters asked for")),
        rows_named=_("follow-ups asked for"),
        about=_("Follow-ups a supporter asked for on a contact, due in the last two weeks."),
        empty=_("No follow-up is due."),
        rows_template="matches/_follow_up_asked_rows.html",
    ),
}
TABS = [shown.tab for shown in FOLLOW_UP_LISTS.values()]


@signed_in(*STAFF_ROLES)
@require_GET
def follow_up(request: AuthenticatedRequest) -> HttpResponse:
    """The queue opens on the first of its lists with something to chase (the first list when
    nothing is), in the program chosen."""
    tabs = counted_tabs(TABS, request.user, program=chosen_program(request.user, request.GET))
    return redirect(next((tab for tab in tabs if tab.count), tabs[0]).href)


@signed_in(*STAFF_ROLES)
@require_GET
def follow_up_list(request: AuthenticatedRequest, shown: str) -> HttpResponse:
    chosen = FOLLOW_UP_LISTS[shown]
    rows = list_page(chosen.tab.definition, request)
    tabs = counted_tabs(
        TABS, request.user, program=program_chosen_on(rows), current=chosen.tab.definition
    )
    return list_response(
        request,
        "matches/follow_up.html",
        {
            "list": rows,
            "page": rows.page,
            "shown": chosen,
            "tabs": tabs,
            "nothing_due": not any(tab.count for tab in tabs),
            "can_export": True,  # its viewers are all staff (reports.export_views)
        },
    )
