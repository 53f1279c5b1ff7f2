import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce

from alongside.accounts.models import STAFF_ROLES, User
from alongside.intake.models import SupportRequest
from alongside.intake.queries import LISTS_DO_NOT_READ
from alongside.matches.models import (
    OPEN_MATCH_STATUSES,
    CheckIn,
    ContactComment,
    ContactLog,
    Goal,
    GoalNote,
    HoursReport,
    Match,
    MatchEvent,
    MatchStatus,
    NoContactAlert,
    NoContactStage,
)
from alongside.programs.queries import program_ids_for
from alongside.resources.models import Referral
from alongside.supporters.hooks import Workload
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.queries import HARD_CONTACTS_IN_A_ROW, latest_per_supporter


@dataclass(frozen=True)
class MatchHours:
    minutes: int
    contacts_made: int
    attempts: int

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


def hours_from_minutes(minutes: int) -> Decimal:
    """Hours to one decimal, as coordinators report them (45 minutes is 0.8 h)."""
    return (Decimal(minutes) / 60).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def matches_for_list(user: User) -> QuerySet[Match]:
    """The matches a user may see, with what the list shows, newest first.

    Each match's minutes and last contact are read by a subquery of its own contacts (an index
    on the match and the time), not by grouping every contact: a page of matches reads only
    its own, and a sort by the last contact reads one row per match."""
    contacts = ContactLog.objects.filter(match=OuterRef("pk")).order_by()
    return (
        Match.objects.visible_to(user)
        .select_related("program", "supporter__user", "request__peer")
        .defer(*(f"request__{field}" for field in LISTS_DO_NOT_READ))
        .annotate(
            minutes_logged=Coalesce(
                Subquery(
                    contacts.filter(was_made=True)
                    .values("match")
                    .annotate(total=Sum("minutes"))
                    .values("total")
                ),
                0,
            ),
            last_contact_at=Subquery(contacts.order_by("-occurred_at").values("occurred_at")[:1]),
        )
        .order_by("status", "-started_at")
    )


def hours_for(match: Match) -> MatchHours:
    totals = match.contacts.aggregate(
        minutes=Sum("minutes", filter=Q(was_made=True), default=0),
        made=Count("id", filter=Q(was_made=True)),
        attempts=Count("id", filter=Q(was_made=False)),
    )
    return MatchHours(
        minutes=totals["minutes"], contacts_made=totals["made"], attempts=totals["attempts"]
    )


def with_hours(matches: QuerySet[Match]) -> QuerySet[Match]:
    """The matches with their hours so far, in the same query (`hours_of` reads them)."""

    def total(of: Sum | Count, **contacts: object) -> Coalesce:
        rows = ContactLog.objects.filter(match=OuterRef("pk"), **contacts).order_by()
        return Coalesce(Subquery(rows.values("match").annotate(total=of).values("total")), 0)

    return matches.annotate(
        hours_minutes=total(Sum("minutes"), was_made=True),
        hours_made=total(Count("pk"), was_made=True),
        hours_attempts=total(Count("pk"), was_made=False),
    )


def hours_of(match: Match) -> MatchHours:
    """The hours of a match read through `with_hours`."""
    return MatchHours(
        minutes=match.hours_minutes,  # type: ignore[attr-defined]
        contacts_made=match.hours_made,  # type: ignore[attr-defined]
        attempts=match.hours_attempts,  # type: ignore[attr-defined]
    )


def contacts_for(match: Match) -> QuerySet[ContactLog]:
    return match.contacts.select_related("logged_by")


def contacts_with_details(match: Match) -> QuerySet[ContactLog]:
    """A match's contacts with their comments and the resources shared."""
    return contacts_for(match).prefetch_related(
        Prefetch("comments", queryset=ContactComment.objects.select_related("author")),
        Prefetch("referrals", queryset=Referral.objects.select_related("resource__program")),
    )


def with_comments(contact: ContactLog) -> ContactLog:
    """The contact with its comments and their authors, for its part of the match page."""
    prefetch_related_objects(
        [contact], Prefetch("comments", queryset=ContactComment.objects.select_related("author"))
    )
    return contact


def checkins_for(match: Match) -> QuerySet[CheckIn]:
    return match.checkins.select_related("done_by").order_by("due_on", "id")


def goals_for(match: Match) -> QuerySet[Goal]:
    return match.goals.prefetch_related(
        Prefetch("notes", queryset=GoalNote.objects.select_related("author"))
    )


def history_for(match: Match) -> QuerySet[MatchEvent]:
    return match.events.select_related("by")


# A supporter's follow-up stays in the coordinator's queue this long after its date.
FOLLOW_UPS_SHOWN_FOR = dt.timedelta(days=14)
# The match's peer is named by their first name only: no list decrypts the rest.
_OF_MATCH = ("match__program", "match__supporter__user", "match__request__peer")
_MATCH_NOT_READ = (
    *(f"match__request__{name}" for name in LISTS_DO_NOT_READ),
    "match__closure_note",
)


def _in_open_matches(user: User) -> Q:
    return Q(
        match__status__in=OPEN_MATCH_STATUSES,
        match__program_id__in=program_ids_for(user, STAFF_ROLES),
    )


def missing_hours_reports(user: User) -> QuerySet[HoursReport]:
    """The monthly hours reports not confirmed yet in the programs the user staffs."""
    return (
        HoursReport.objects.filter(
            program_id__in=program_ids_for(user, STAFF_ROLES), confirmed_at__isnull=True
        )
        .select_related("supporter__user", "supporter__site", "program")
        .defer("anything_to_know")
    )


def silent_matches(user: User) -> QuerySet[NoContactAlert]:
    """Open matches without contact even after the supporter was nudged (their alerts)."""
    return (
        NoContactAlert.objects.filter(
            _in_open_matches(user), stage=NoContactStage.ESCALATED, resolved_at__isnull=True
        )
        .select_related(*_OF_MATCH)
        .defer(*_MATCH_NOT_READ)
    )


def checkins_due(user: User, today: dt.date) -> QuerySet[CheckIn]:
    """The check-ins of open matches due by `today` and not done."""
    return (
        CheckIn.objects.filter(_in_open_matches(user), done_at__isnull=True, due_on__lte=today)
        .select_related(*_OF_MATCH)
        .defer("notes", *_MATCH_NOT_READ)
    )


def follow_ups_due(user: User, today: dt.date) -> QuerySet[ContactLog]:
    """The contacts of open matches whose supporter asked to follow up by `today` (and not
    longer ago than FOLLOW_UPS_SHOWN_FOR)."""
    return (
        ContactLog.objects.filter(
            _in_open_matches(user),
            follow_up_on__lte=today,
            follow_up_on__gte=today - FOLLOW_UPS_SHOWN_FOR,
        )
        .select_related(*_OF_MATCH)
        .defer("note", "follow_up_what", *_MATCH_NOT_READ)
    )


def hours_reports_for(user: User) -> QuerySet[HoursReport]:
    return (
        HoursReport.objects.visible_to(user)
        .select_related("supporter__user", "program")
        .order_by("-month", "supporter__user__first_name")
    )


def band_for(report: HoursReport) -> str:
    """Whether the month's hours fall below, within or above the program's expected band."""
    minutes = (
        report.confirmed_minutes if report.confirmed_minutes is not None else report.logged_minutes
    )
    hours = hours_from_minutes(minutes)
    if hours < report.program.expected_hours_min:
        return "below"
    if hours > report.program.expected_hours_max:
        return "above"
    return "within"


# ---- a supporter's contacts, for supporters' pages (registered in MatchesConfig.ready) ----------


def peer_support_hours(supporter: Supporter) -> Decimal:
    """Formal peer-support hours: every contact made in the supporter's matches."""
    minutes = ContactLog.objects.filter(match__supporter=supporter, was_made=True).aggregate(
        total=Sum("minutes", default=0)
    )["total"]
    return hours_from_minutes(minutes)


def supporter_page_panel(supporter: Supporter) -> dict[str, Any]:
    """What matches adds to the supporter's page: their peer-support hours so far."""
    return {"hours": peer_support_hours(supporter)}


def workloads_of(supporter_ids: Sequence[int], today: dt.date) -> dict[int, Workload]:
    """What each supporter gave in their matches lately, by id, in two queries: their hours this
    month and how many of their latest contacts in a row needed the coordinator."""
    minutes_this_month = dict(
        ContactLog.objects.filter(
            match__supporter_id__in=supporter_ids,
            was_made=True,
            occurred_at__date__gte=today.replace(day=1),
        )
        .values_list("match__supporter_id")
        .annotate(total=Sum("minutes"))
        .values_list("match__supporter_id", "total")
    )
    latest_hard = latest_per_supporter(
        ContactLog.objects.filter(match__supporter_id__in=supporter_ids),
        supporter_field="match__supporter_id",
        newest_first=[F("occurred_at").desc(), F("pk").desc()],
        count=HARD_CONTACTS_IN_A_ROW,
        value="needs_coordinator",
    )
    return {
        supporter_id: Workload(
            hours_this_month=hours_from_minutes(minutes_this_month.get(supporter_id, 0)),
            hard_contacts_in_a_row=_in_a_row(latest_hard[supporter_id]),
        )
        for supporter_id in supporter_ids
    }


def _in_a_row(newest_first: Sequence[bool]) -> int:
    return next((at for at, hard in enumerate(newest_first) if not hard), len(newest_first))


def handover_candidates(supporter: Supporter) -> QuerySet[Supporter]:
    """Active supporters of the same program who could take over a match, with their load.

    Only a suggestion: handing over checks the chosen pair like any new match.
    """
    return (
        Supporter.objects.filter(program_id=supporter.program_id, status=SupporterStatus.ACTIVE)
        .exclude(pk=supporter.pk)
        .annotate(
            open_match_count=Count("matches", filter=Q(matches__status__in=OPEN_MATCH_STATUSES))
        )
        .select_related("user")
        .order_by("user__first_name", "pk")
    )


def open_match_between(support_request: SupportRequest, supporter: Supporter) -> Match | None:
    """The pair's match for this request, unless it is closed: starting it twice finds it."""
    return (
        Match.objects.filter(request=support_request, supporter=supporter)
        .exclude(status=MatchStatus.CLOSED)
        .first()
    )
