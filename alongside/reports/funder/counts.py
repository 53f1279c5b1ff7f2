"""The funder report's counts that no dashboard figure has: the people supported and their
demographics, the supporters recruited, trained and active, who gave the hours, and the groups.

Each is a few SQL aggregates over the programs' rows in the period (read in each program's zone,
`figures.scope`), whatever the size of the programs. The shared figures (requests and time to
match, matches, hours given, outcome change) are the dashboard's, in `reports.figures`.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, Max, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
from alongside.intake.models import SupportRequest
from alongside.matches.models import HoursReport, Match
from alongside.programs.models import Program, ReportedDemographic
from alongside.reports.figures.matches import open_during
from alongside.reports.figures.scope import in_period
from alongside.reports.figures.supporters import withdrew_for
from alongside.reports.periods import Period
from alongside.supporters.models import (
    Supporter,
    SupporterStatus,
    TrainingRecord,
    WithdrawalReason,
)

# Age groups by year of birth, as of the period's last year: (label key, youngest age, oldest).
AGE_GROUPS = (("under_25", 0, 24), ("25_44", 25, 44), ("45_64", 45, 64), ("65_plus", 65, 200))
NOT_SAID = "not_said"


@dataclass(frozen=True)
class PeopleSupported:
    """People with a match open at some time in the period, each once (their latest request
    gives their demographics), and the count of each group of each demographic reported."""

    total: int
    groups: dict[str, dict[str, int]]


def _latest_requests(programs: Sequence[Program], period: Period) -> QuerySet[SupportRequest]:
    latest = (
        Match.objects.filter(open_during(list(programs), period))
        .values("request__peer_id")
        .annotate(latest=Max("request_id"))
        .values("latest")
    )
    return SupportRequest.objects.filter(pk__in=latest)


def _age_group(year: int) -> Case:
    return Case(
        *(
            When(birth_year__lte=year - youngest, birth_year__gte=year - oldest, then=Value(key))
            for key, youngest, oldest in AGE_GROUPS
        ),
        default=Value(NOT_SAID),
    )


def _grouped_by(demographic: str, period: Period) -> Any:
    """The column (or expression) a demographic groups requests by."""
    match demographic:
        case ReportedDemographic.AGE_GROUP:
            return _age_group(period.end.year)
        case ReportedDemographic.EXPERIENCE:
            return Coalesce("experience__slug", Value(NOT_SAID))
        case ReportedDemographic.SITE:
            return Coalesce(F("site__name"), Value(NOT_SAID))
        case _:
            return F(demographic)


def people_supported(
    *, programs: Sequence[Program], period: Period, demographics: Sequence[str]
) -> PeopleSupported:
    """The people supported and their groups, in one query: grouped by every demographic at
    once, its rows are the combinations that occur (they grow with the groups, not the people),
    added up here for each demographic."""
    columns = {f"d_{demographic}": _grouped_by(demographic, period) for demographic in demographics}
    rows = (
        _latest_requests(programs, period)
        .annotate(**columns)
        .values(*columns)
        .annotate(n=Count("pk"))
        .order_by()
    )
    total = 0
    groups: dict[str, dict[str, int]] = {demographic: {} for demographic in demographics}
    for row in rows:
        total += row["n"]
        for demographic in demographics:
            value = row[f"d_{demographic}"]
            key = str(value) if value not in ("", None) else NOT_SAID
            groups[demographic][key] = groups[demographic].get(key, 0) + row["n"]
    return PeopleSupported(total=total, groups=groups)


@dataclass(frozen=True)
class SupporterCounts:
    recruited: int  # joined a program in the period
    trained: int  # completed a training module in the period
    active: int  # had a match open at some time in the period
    # Withdrew in the period, by their main reason (every reason, those not recorded too).
    withdrew: Mapping[str, int] = field(default_factory=dict)


def _joined_and_left(programs: Sequence[Program], period: Period) -> dict[str, int]:
    """Supporters who joined in the period, and who withdrew in it by their main reason, every
    reason (one query; the dashboard's rule: withdrawn without a reason is not recorded)."""
    withdrew = Q(status=SupporterStatus.WITHDRAWN) & in_period(
        "status_changed_at", programs, period
    )
    return Supporter.objects.filter(program_id__in=[program.pk for program in programs]).aggregate(
        recruited=Count("pk", filter=in_period("created_at", programs, period)),
        **{
            reason.value: Count("pk", filter=withdrew & withdrew_for(reason))
            for reason in WithdrawalReason
        },
    )


def supporter_counts(*, programs: Sequence[Program], period: Period) -> SupporterCounts:
    """Supporters recruited, trained, active and withdrawn in the period (three queries)."""
    ids = [program.pk for program in programs]
    joined_and_left = _joined_and_left(programs, period)
    recruited = joined_and_left.pop("recruited")
    trained = (
        TrainingRecord.objects.filter(
            supporter__program_id__in=ids,
            completed_on__gte=period.start,
            completed_on__lte=period.end,
        )
        .values("supporter_id")
        .distinct()
        .count()
    )
    active = (
        Match.objects.filter(open_during(list(programs), period))
        .values("supporter_id")
        .distinct()
        .count()
    )
    return SupporterCounts(
        recruited=recruited,
        trained=trained,
        active=active,
        withdrew=joined_and_left,
    )


def hours_givers(*, programs: Sequence[Program], period: Period) -> dict[str, int]:
    """How many volunteers and how many paid workers reported hours in the period (one query);
    the hours are the dashboard's (`figures.matches`)."""
    counts = (
        HoursReport.objects.filter(
            program_id__in=[program.pk for program in programs], month__in=period.months
        )
        .exclude(Q(confirmed_minutes=0) | Q(confirmed_minutes__isnull=True, logged_minutes=0))
        .aggregate(
            volunteer=Count("supporter_id", distinct=True, filter=Q(supporter__is_paid=False)),
            paid=Count("supporter_id", distinct=True, filter=Q(supporter__is_paid=True)),
        )
    )
    return {"volunteer": counts["volunteer"], "paid": counts["paid"]}


@dataclass(frozen=True)
class GroupsOfKind:
    kind: SessionKind
    sessions: int  # held (not cancelled)
    attendances: int  # supporters marked as attended, session by session
    people: int  # different supporters who attended one at least


def group_counts(*, programs: Sequence[Program], period: Period) -> tuple[GroupsOfKind, ...]:
    """Sessions held in the period and their attendance, by kind (two queries)."""
    sessions: dict[str, int] = dict(
        GroupSession.objects.filter(
            in_period("starts_at", programs, period), cancelled_at__isnull=True
        )
        .values_list("kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attended: dict[str, dict[str, int]] = {
        row["session__kind"]: {"visits": row["visits"], "people": row["people"]}
        for row in Attendance.objects.filter(
            in_period("session__starts_at", programs, period, program_field="session__program_id"),
            session__cancelled_at__isnull=True,
            status=AttendanceStatus.ATTENDED,
        )
        .values("session__kind")
        .annotate(visits=Count("pk"), people=Count("supporter_id", distinct=True))
        .order_by()
    }
    return tuple(
        GroupsOfKind(
            kind=kind,
            sessions=sessions.get(kind.value, 0),
            attendances=attended.get(kind.value, {}).get("visits", 0),
            people=attended.get(kind.value, {}).get("people", 0),
        )
        for kind in SessionKind
    )
