"""Supporters: the pipeline as a funnel, who is active and who left, and signs of strain.

The funnel follows the supporters who applied in the period (a cohort): how many have passed
each of their program's current steps, how many became ready (made active, or matched) and how
many were matched. A step met by a step record counts its passed records, with the average days
from the application to the record; a background-check step counts a cleared check, a training
step a completed training (those two have no single date to count days to).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
)
from django.db.models.lookups import LessThanOrEqual

from alongside.matches.models import HoursReport, Match
from alongside.programs.content import Text
from alongside.programs.models import PipelineStep, Program, StepKind
from alongside.reports.figures.scope import as_list, counted, in_period
from alongside.reports.periods import Period
from alongside.supporters.models import (
    BackgroundCheck,
    CheckStatus,
    DebriefRequest,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
    WellbeingCheckIn,
    WithdrawalReason,
)

# Statuses a supporter holds once they have been ready at least once.
BEEN_READY = (
    SupporterStatus.ACTIVE,
    SupporterStatus.PAUSED,
    SupporterStatus.ON_BREAK,
    SupporterStatus.ALUMNI,
)
# A latest wellbeing score at or below this says the supporter is struggling (as the
# supporters' burnout signals read it).
STRUGGLING_SCORE = 2
# A debrief request unanswered for longer than this is late.
DEBRIEF_WAIT = dt.timedelta(days=2)


@dataclass(frozen=True)
class FunnelStep:
    name: Text  # in the reader's language, else the program's first (|marked names it)
    program_name: Text
    passed: int
    average_days: float | None  # from the application to the step, for those who passed it


@dataclass(frozen=True)
class Pipeline:
    applied: int
    steps: tuple[FunnelStep, ...]
    ready: int
    matched: int


def _steps_with_days(programs: list[Program], period: Period) -> list[PipelineStep]:
    """The programs' current steps, each with how many of the cohort passed it by a step record
    (`passed`) and their average time from applying to passing it (`waited`), in one query.

    The cohort is read on each record's supporter, the one row that also says when they applied.
    """
    passed = (
        StepRecord.objects.filter(step=OuterRef("pk"), outcome=StepOutcome.PASSED)
        .filter(
            in_period(
                "supporter__created_at", programs, period, program_field="supporter__program_id"
            )
        )
        .values("step")
    )
    return list(
        PipelineStep.objects.current()
        .filter(program__in=programs)
        .select_related("program")
        .annotate(
            passed=Subquery(
                passed.annotate(passed=Count("supporter", distinct=True)).values("passed"),
                output_field=IntegerField(),
            ),
            waited=Subquery(
                passed.annotate(waited=Avg(F("recorded_at") - F("supporter__created_at"))).values(
                    "waited"
                ),
                output_field=DurationField(),
            ),
        )
        .order_by("program__name", "order")
    )


# A background-check step is met by a cleared check, a training step by a completed training:
# counted once for the cohort, whatever the number of such steps.
MET_WITHOUT_A_RECORD = {
    StepKind.BACKGROUND_CHECK: (
        "cleared",
        BackgroundCheck.objects.filter(supporter=OuterRef("pk"), status=CheckStatus.CLEARED),
    ),
    StepKind.TRAINING: ("trained", TrainingRecord.objects.filter(supporter=OuterRef("pk"))),
}


def _pipeline_counts(cohort: Q, steps: list[PipelineStep]) -> dict[str, Count]:
    matched = Q(Exists(Match.objects.filter(supporter=OuterRef("pk"))))
    return {
        "applied": Count("pk", filter=cohort),
        "ready": Count("pk", filter=cohort & (Q(status__in=BEEN_READY) | matched)),
        "matched": Count("pk", filter=cohort & matched),
    } | {
        name: Count("pk", filter=cohort & Q(Exists(met)))
        for kind, (name, met) in MET_WITHOUT_A_RECORD.items()
        if any(step.kind == kind for step in steps)
    }


def _passed(step: PipelineStep, counts: dict[str, int]) -> int:
    if step.kind in MET_WITHOUT_A_RECORD:
        return counts[MET_WITHOUT_A_RECORD[StepKind(step.kind)][0]]
    return getattr(step, "passed", None) or 0


def _pipeline(counts: dict[str, int], steps: list[PipelineStep]) -> Pipeline:
    return Pipeline(
        applied=counts["applied"],
        steps=tuple(
            FunnelStep(
                name=step.in_language("name"),
                program_name=step.program.in_language("name"),
                passed=_passed(step, counts),
                average_days=_days(getattr(step, "waited", None)),
            )
            for step in steps
        ),
        ready=counts["ready"],
        matched=counts["matched"],
    )


def _days(duration: dt.timedelta | None) -> float | None:
    return None if duration is None else round(duration.total_seconds() / 86400, 1)


@dataclass(frozen=True)
class Standing:
    """Where supporters stand now, and who left in the period."""

    active: int
    paused: int
    on_break: int
    alumni: int
    withdrawn: int
    became_alumni: int  # in the period
    withdrew: int  # in the period
    withdrew_while_matched: int  # left in the period with a match open then
    # Those who withdrew in the period, by their main reason, every reason in its order (those
    # who withdrew before the reason was asked: not recorded); they add up to `withdrew`.
    withdrew_by_reason: tuple[tuple[WithdrawalReason, int], ...] = ()


STANDING_STATUSES = (
    SupporterStatus.ACTIVE,
    SupporterStatus.PAUSED,
    SupporterStatus.ON_BREAK,
    SupporterStatus.ALUMNI,
    SupporterStatus.WITHDRAWN,
)


def withdrew_for(reason: WithdrawalReason) -> Q:
    """Supporters withdrawn for this main reason (one withdrawn with none: not recorded)."""
    if reason == WithdrawalReason.NOT_RECORDED:
        return Q(withdrawal_reason__in=[reason, ""])
    return Q(withdrawal_reason=reason)


def _standing_counts(
    programs: list[Program], period: Period, signs: dict[str, Any]
) -> dict[str, Count]:
    left = in_period("status_changed_at", programs, period)
    withdrew = Q(status=SupporterStatus.WITHDRAWN) & left
    return (
        {str(status): Count("pk", filter=Q(status=status)) for status in STANDING_STATUSES}
        | {
            "became_alumni": Count("pk", filter=Q(status=SupporterStatus.ALUMNI) & left),
            "withdrew": Count("pk", filter=withdrew),
            "withdrew_while_matched": Count("pk", filter=withdrew & Q(signs["has_open_match"])),
        }
        | {
            f"withdrew_{reason.value}": Count("pk", filter=withdrew & withdrew_for(reason))
            for reason in WithdrawalReason
        }
    )


def _standing(counts: dict[str, int]) -> Standing:
    fields = set(Standing.__dataclass_fields__) - {"withdrew_by_reason"}
    return Standing(
        **{field: counts[field] for field in fields},
        withdrew_by_reason=tuple(
            (reason, counts[f"withdrew_{reason.value}"]) for reason in WithdrawalReason
        ),
    )


@dataclass(frozen=True)
class Strain:
    """Signs supporters may be stretched too far, now."""

    struggling: int  # active supporters whose latest wellbeing score is low
    over_pledge: int  # who gave more hours this month than they pledged
    open_debriefs: int  # debrief requests no one has answered yet
    late_debriefs: int  # of which waiting longer than DEBRIEF_WAIT


def _signs(programs: list[Program], now: dt.datetime) -> dict[str, Any]:
    """Each supporter's signs (an open match, their latest wellbeing score, hours over their
    pledge this month), as expressions the counts filter on: inside a count's filter, the
    database looks a sign up only for the supporters the filter's first conditions keep
    (annotated instead, each was looked up for every supporter of the programs)."""
    latest_score = (
        WellbeingCheckIn.objects.filter(supporter=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("score")[:1]
    )
    months = {program.calendar.today(now).replace(day=1) for program in programs}
    over_pledge = HoursReport.objects.filter(
        supporter=OuterRef("pk"),
        month__in=months,
        logged_minutes__gt=F("supporter__expected_hours_per_month") * 60,
    )
    return {
        "has_open_match": Exists(
            Match.objects.filter(supporter=OuterRef("pk"), closed_at__isnull=True)
        ),
        "latest_score": Subquery(latest_score),
        "gave_over_pledge": Exists(over_pledge),
    }


def _debriefs(programs: list[Program], now: dt.datetime) -> dict[str, Subquery]:
    """The programs' unanswered debrief requests, and the late ones among them: each counted
    once, from the requests (not once for every supporter of the programs)."""
    unanswered = DebriefRequest.objects.filter(
        supporter__program__in=programs, answered_at__isnull=True
    )
    return {
        name: Subquery(
            requests.values(all=Value(1)).annotate(count=Count("pk")).values("count").order_by()
        )
        for name, requests in (
            ("open_debriefs", unanswered),
            ("late_debriefs", unanswered.filter(requested_at__lt=now - DEBRIEF_WAIT)),
        )
    }


def _strain_counts(signs: dict[str, Any]) -> dict[str, Any]:
    active = Q(status=SupporterStatus.ACTIVE)
    struggling = LessThanOrEqual(signs["latest_score"], STRUGGLING_SCORE)
    return {
        "struggling": Count("pk", filter=active & Q(struggling)),
        "over_pledge": Count("pk", filter=active & Q(signs["gave_over_pledge"])),
    }


@dataclass(frozen=True)
class SupporterFigures:
    pipeline: Pipeline
    standing: Standing
    strain: Strain


def supporter_figures(
    *, programs: Iterable[Program], period: Period, now: dt.datetime
) -> SupporterFigures:
    """The period's applicants through each step, where everyone stands (those who withdrew
    by their main reason), and signs of strain (two queries: the steps, then one count of the
    programs' supporters). The note written beside a reason is never read here."""
    chosen = as_list(programs)
    cohort = in_period("created_at", chosen, period)
    steps = _steps_with_days(chosen, period)
    signs = _signs(chosen, now)
    counts = counted(
        Supporter.objects.filter(program__in=chosen),
        **_pipeline_counts(cohort, steps),
        **_standing_counts(chosen, period, signs),
        **_strain_counts(signs),
        **_debriefs(chosen, now),
    )
    return SupporterFigures(
        pipeline=_pipeline(counts, steps),
        standing=_standing(counts),
        strain=Strain(
            struggling=counts["struggling"],
            over_pledge=counts["over_pledge"],
            open_debriefs=counts["open_debriefs"] or 0,
            late_debriefs=counts["late_debriefs"] or 0,
        ),
    )
