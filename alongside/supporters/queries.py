"""Reads about supporters shared by pages, matching and the periodic jobs.

The readiness gate lives here, and only here: a supporter is ready when every required step,
background check, training and agreement of their program is current. Matching asks it before
any match (matching/queries.py), the pages show what it says is missing. Its set-by-set twin,
`ready_ids` (ready.py, a test keeps the two equal), tells the matching snapshot who is ready.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OrderBy, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Lower, RowNumber
from django.utils import formats
from django.utils.translation import gettext as _

from alongside.accounts.models import STAFF_ROLES, Membership, Role, User
from alongside.core.calendar import today_in
from alongside.programs.models import PipelineStep, Program, StepKind, TrainingModule
from alongside.programs.queries import program_ids_for
from alongside.supporters.hooks import Workload, workloads_of
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    BackgroundCheck,
    CheckStatus,
    DebriefRequest,
    StepOutcome,
    StepRecord,
    SupervisionSession,
    Supporter,
    SupporterStatus,
    TrainingRecord,
    WellbeingCheckIn,
)
from alongside.supporters.ready import ready_ids as ready_ids

# Who supervises supporters: the program's supervisors, and its coordinators too.
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.COORDINATOR})
# Statuses of people giving support now, or between times: those a supervisor looks after.
SUPERVISED_STATUSES = (SupporterStatus.ACTIVE, SupporterStatus.PAUSED, SupporterStatus.ON_BREAK)
# Statuses of people still on their way through the pipeline, shown on the board.
IN_PIPELINE_STATUSES = (SupporterStatus.APPLIED, SupporterStatus.SCREENING)
HARD_CONTACTS_IN_A_ROW = 3


@dataclass(frozen=True)
class StepState:
    step: PipelineStep
    missing: tuple[str, ...]

    @property
    def is_met(self) -> bool:
        return not self.missing


@dataclass(frozen=True)
class Readiness:
    """What a supporter still needs before they can be matched, step by step."""

    steps: tuple[StepState, ...]
    missing: tuple[str, ...]
    waiting_since: dt.datetime | None = None
    trainings: tuple[TrainingRecord, ...] = field(default=())

    @property
    def is_ready(self) -> bool:
        return not self.missing

    @property
    def current_step(self) -> PipelineStep | None:
        """The first required step not met yet: where the supporter waits on the board."""
        return next(
            (state.step for state in self.steps if state.step.is_required and not state.is_met),
            None,
        )


def _day(date: dt.date) -> str:
    return formats.date_format(date, "j F Y")


def _latest_step_record_missing(step: PipelineStep, records: Sequence[StepRecord]) -> list[str]:
    latest = next((record for record in reversed(records) if record.step_id == step.pk), None)
    if latest is not None and latest.outcome == StepOutcome.PASSED:
        return []
    if step.kind == StepKind.AGREEMENT:
        return [_("has not signed the %(step)s") % {"step": step.in_language("name")}]
    if latest is not None:
        return [_("did not pass the %(step)s") % {"step": step.in_language("name")}]
    return [_("has not had the %(step)s") % {"step": step.in_language("name")}]


def _check_missing(checks: Sequence[BackgroundCheck], today: dt.date) -> list[str]:
    if not checks:
        return [_("has no background check yet")]
    latest = checks[-1]
    if latest.status == CheckStatus.REQUESTED:
        return [_("background check is pending")]
    if latest.status == CheckStatus.NOT_CLEARED:
        return [_("background check was not cleared")]
    if latest.expires_on is not None and latest.expires_on < today:
        return [_("background check expired %(day)s") % {"day": _day(latest.expires_on)}]
    return []


def _training_missing(
    modules: Iterable[TrainingModule], records: Sequence[TrainingRecord], today: dt.date
) -> list[str]:
    missing = []
    for module in modules:
        if not module.is_required:
            continue
        own = [record for record in records if record.module_id == module.pk]
        if any(record.expires_on is None or record.expires_on >= today for record in own):
            continue
        if own:
            expired = max(record.expires_on for record in own if record.expires_on)
            missing.append(
                _("has not completed the %(module)s training (expired %(day)s)")
                % {"module": module.in_language("name"), "day": _day(expired)}
            )
        else:
            missing.append(
                _("has not completed the %(module)s training")
                % {"module": module.in_language("name")}
            )
    return missing


def readiness_of(
    supporters: Sequence[Supporter], today: dt.date | None = None
) -> dict[int, Readiness]:
    """The readiness of each supporter, keyed by id, in a fixed number of queries: on `today`,
    else on each supporter's program's own day (what matching counts on)."""
    program_ids = {supporter.program_id for supporter in supporters}
    zones = Program.objects.filter(pk__in=program_ids).values_list("pk", "time_zone")
    days = {} if today else {program_id: today_in(zone) for program_id, zone in zones}
    supporter_ids = [supporter.pk for supporter in supporters]
    steps_by_program: dict[int, list[PipelineStep]] = defaultdict(list)
    steps = PipelineStep.objects.current().filter(program_id__in=program_ids)
    for step in steps.select_related("program").order_by("order"):
        steps_by_program[step.program_id].append(step)
    modules_by_program: dict[int, list[TrainingModule]] = defaultdict(list)
    modules = (
        TrainingModule.objects.current()
        .filter(program_id__in=program_ids)
        .select_related("program")
    )
    for module in modules.order_by("name"):
        modules_by_program[module.program_id].append(module)
    step_records = _grouped(StepRecord.objects.filter(supporter_id__in=supporter_ids))
    checks = _grouped(BackgroundCheck.objects.filter(supporter_id__in=supporter_ids))
    trainings = _grouped(
        TrainingRecord.objects.filter(supporter_id__in=supporter_ids).select_related(
            "module__program"
        )
    )
    result = {}
    for supporter in supporters:
        result[supporter.pk] = readiness_from(
            supporter,
            steps=steps_by_program[supporter.program_id],
            modules=modules_by_program[supporter.program_id],
            step_records=step_records[supporter.pk],
            checks=checks[supporter.pk],
            trainings=trainings[supporter.pk],
            today=today or days[supporter.program_id],
        )
    return result


def _grouped[Row: StepRecord | BackgroundCheck | TrainingRecord](
    rows: QuerySet[Row],
) -> dict[int, list[Row]]:
    grouped: dict[int, list[Row]] = defaultdict(list)
    for row in rows.order_by("recorded_at", "pk"):
        grouped[row.supporter_id].append(row)
    return grouped


def readiness_from(
    supporter: Supporter,
    *,
    steps: list[PipelineStep],
    modules: list[TrainingModule],
    step_records: list[StepRecord],
    checks: list[BackgroundCheck],
    trainings: list[TrainingRecord],
    today: dt.date,
) -> Readiness:
    """The gate's rules on one supporter's records, oldest first (each list its own)."""
    states = []
    for step in steps:
        if step.kind == StepKind.BACKGROUND_CHECK:
            missing = _check_missing(checks, today)
        elif step.kind == StepKind.TRAINING:
            missing = _training_missing(modules, trainings, today)
        else:
            missing = _latest_step_record_missing(step, step_records)
        states.append(StepState(step=step, missing=tuple(missing)))
    gate: list[str] = []
    for state in states:
        if state.step.is_required:
            gate += state.missing
    if not any(step.kind == StepKind.TRAINING for step in steps):
        gate += _training_missing(modules, trainings, today)
    moments = [supporter.created_at]
    moments += [record.recorded_at for record in step_records]
    moments += [check.recorded_at for check in checks]
    moments += [training.recorded_at for training in trainings]
    return Readiness(
        steps=tuple(states),
        missing=tuple(gate),
        waiting_since=max(moment for moment in moments if moment is not None),
        trainings=tuple(trainings),
    )


def readiness(supporter: Supporter, today: dt.date | None = None) -> Readiness:
    """What `supporter` still needs before they can be matched (nothing when ready), on
    `today`, else on their program's own day."""
    return readiness_of([supporter], today)[supporter.pk]


def board_supporters(user: User, *, program_id: int | None = None) -> QuerySet[Supporter]:
    """Supporters on their way to ready, in the user's programs."""
    supporters = Supporter.objects.filter(
        program_id__in=program_ids_for(user, STAFF_ROLES), status__in=IN_PIPELINE_STATUSES
    )
    if program_id is not None:
        supporters = supporters.filter(program_id=program_id)
    return supporters.select_related("user", "program").order_by("created_at", "pk")


def applications_not_eligible(
    user: User, *, program_id: int | None = None
) -> QuerySet[Application]:
    """Applications found not eligible, kept for a coordinator to review or override."""
    applications = Application.objects.visible_to(user).filter(
        outcome=ApplicationOutcome.NOT_ELIGIBLE
    )
    if program_id is not None:
        applications = applications.filter(program_id=program_id)
    return applications.select_related("program")


def latest_per_supporter(
    rows: QuerySet[Any],
    *,
    supporter_field: str,
    newest_first: list[OrderBy],
    count: int,
    value: str,
) -> dict[int, list[Any]]:
    """The `value` of each supporter's latest `count` rows, newest first, in one query."""
    ranked = rows.annotate(
        rank=Window(RowNumber(), partition_by=[F(supporter_field)], order_by=newest_first)
    ).filter(rank__lte=count)
    latest: dict[int, list[Any]] = defaultdict(list)
    for supporter_id, item in ranked.order_by(supporter_field, "rank").values_list(
        supporter_field, value
    ):
        latest[supporter_id].append(item)
    return latest


def burnout_signals_of(supporters: Sequence[Supporter], today: dt.date) -> dict[int, list[str]]:
    """Signs each supporter may be stretched too far, by id, in a fixed number of queries.

    What they gave lately (hours, hard contacts) comes from the apps above (supporters/hooks.py).
    """
    ids = [supporter.pk for supporter in supporters]
    scores = latest_per_supporter(
        WellbeingCheckIn.objects.filter(supporter_id__in=ids),
        supporter_field="supporter_id",
        newest_first=[F("created_at").desc(), F("pk").desc()],
        count=3,
        value="score",
    )
    workloads = workloads_of(ids, today)
    return {
        supporter.pk: _signals(
            supporter, workload=workloads[supporter.pk], scores=list(reversed(scores[supporter.pk]))
        )
        for supporter in supporters
    }


def _signals(supporter: Supporter, *, workload: Workload, scores: list[int]) -> list[str]:
    signals = []
    pledge = supporter.expected_hours_per_month
    hours = workload.hours_this_month
    if pledge is not None and hours > pledge:
        signals.append(
            _("has given %(hours)s hours this month, above their pledge of %(pledge)s")
            % {"hours": hours, "pledge": pledge}
        )
    if len(scores) == 3 and scores[0] > scores[1] > scores[2]:
        signals.append(
            _("wellbeing scores are falling (%(scores)s)")
            % {"scores": ", ".join(str(score) for score in scores)}
        )
    elif scores and scores[-1] <= 2:
        signals.append(_("said they are struggling (%(score)d out of 5)") % {"score": scores[-1]})
    if workload.hard_contacts_in_a_row >= HARD_CONTACTS_IN_A_ROW:
        signals.append(
            _("has had %(count)d hard contacts in a row (each needed the coordinator)")
            % {"count": HARD_CONTACTS_IN_A_ROW}
        )
    return signals


def burnout_signals(supporter: Supporter, today: dt.date) -> list[str]:
    """Signs a supporter may be stretched too far, for the coordinator to step in early."""
    return burnout_signals_of([supporter], today)[supporter.pk]


def supervisors_of(supporter: Supporter) -> QuerySet[User]:
    """Who a supporter's debriefs reach: their named supervisor while that person supervises
    in the program; else the program's supervisors whose scope holds them (its central
    supervisors, and those tied to the supporter's site)."""
    supervising = Membership.objects.filter(
        program_id=supporter.program_id, role=Role.SUPERVISOR, is_active=True
    )
    chosen = supervising.none()
    if supporter.supervisor_id is not None:
        chosen = supervising.filter(user_id=supporter.supervisor_id)
    if not chosen.exists():
        chosen = supervising.central() | supervising.filter(sites=supporter.site_id)
    return User.objects.filter(is_active=True, pk__in=chosen.values("user_id")).order_by("pk")


def supervisees(user: User) -> QuerySet[Supporter]:
    """The supporters a supervisor (or coordinator) looks after, with their last session,
    the follow-up it set, and how many debrief requests wait for an answer."""
    latest = SupervisionSession.objects.filter(supporter=OuterRef("pk")).order_by("-held_on", "-pk")
    open_debriefs = (
        DebriefRequest.objects.filter(supporter=OuterRef("pk"), answered_at__isnull=True)
        .values("supporter")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        Supporter.objects.looked_after_by(user)
        .filter(status__in=SUPERVISED_STATUSES)
        .annotate(
            last_session_on=Subquery(latest.values("held_on")[:1]),
            follow_up_on=Subquery(latest.values("follow_up_on")[:1]),
            open_debriefs=Coalesce(Subquery(open_debriefs), 0),
        )
        .select_related("user", "program")
        .order_by("program__name", "user__first_name", "pk")
    )


@dataclass(frozen=True)
class SupervisionDates:
    last: dt.date | None
    next: dt.date | None


def supervision_dates(supporter: Supporter, today: dt.date) -> SupervisionDates:
    """A supporter's last supervision, and the next one if the last set a follow-up ahead."""
    latest = supporter.supervision_sessions.order_by("-held_on", "-pk").first()
    if latest is None:
        return SupervisionDates(last=None, next=None)
    upcoming = latest.follow_up_on if latest.follow_up_on and latest.follow_up_on >= today else None
    return SupervisionDates(last=latest.held_on, next=upcoming)


def received_application(program: Program, received_id: object) -> Application | None:
    """The application this visitor just sent to `program` (its id kept in their session)."""
    if not isinstance(received_id, int):
        return None
    return Application.objects.filter(pk=received_id, program=program).first()


def supporters_in(program_id: int) -> QuerySet[Supporter]:
    """Every supporter of the program, whatever their status, with their account."""
    return Supporter.objects.filter(program_id=program_id).select_related("user")


def supervisor_roles_of(program_id: int) -> QuerySet[Membership]:
    """The program's active supervisors' roles, by name, with the sites each is tied to: whom a
    coordinator may name as a supporter's supervisor."""
    return (
        Membership.objects.filter(
            program_id=program_id, role=Role.SUPERVISOR, is_active=True, user__is_active=True
        )
        .select_related("user")
        .prefetch_related("sites")
        .order_by(Lower("user__first_name"), "user__email")
    )
