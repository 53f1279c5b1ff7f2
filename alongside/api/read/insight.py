"""A program's insight figures, as the coordinators' dashboard reads them (`dashboard_numbers`
for the one program, the period seen from its day), in the token's program (ADR 0015, ADR 0016):
counts, days and means only, never a person."""

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.params.functions import Query

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.problems import not_found, responses
from alongside.api.read.params import an_id
from alongside.programs.permissions import get_program_for
from alongside.reports.dashboard import DashboardNumbers, dashboard_numbers
from alongside.reports.periods import DEFAULT_PERIOD, Period, PeriodChoice

insight_router = Router(tags=["programs"])
PeriodParam = Query(
    DEFAULT_PERIOD, description="The dashboard's period; this quarter unless asked."
)


class WaitingOut(Schema):
    on_time: int
    at_risk: int
    overdue: int
    total: int


class DaysCountOut(Schema):
    days: int
    count: int


class TimeToMatchOut(Schema):
    received: int
    matched: int
    within_sla: int
    median_days: int | None
    p90_days: int | None
    distribution: list[DaysCountOut]
    longer: int


class MonthOut(Schema):
    month: dt.date
    active_matches: int
    contacts: int
    reports: int
    giving: int
    below_band: int
    within_band: int
    above_band: int


class StepOut(Schema):
    name: str
    passed: int


class PipelineOut(Schema):
    applied: int
    steps: list[StepOut]
    ready: int
    matched: int


class StandingOut(Schema):
    active: int
    paused: int
    on_break: int
    alumni: int
    withdrawn: int
    became_alumni: int
    withdrew: int
    withdrew_while_matched: int


class StrainOut(Schema):
    struggling: int
    over_pledge: int
    open_debriefs: int
    late_debriefs: int


class EscalationsOut(Schema):
    raised: int
    urgent: int
    acknowledged: int
    urgent_within_target: int
    acknowledged_later: int
    open_now: int
    waiting_now: int


class OutcomeChangeOut(Schema):
    questionnaire: str
    higher_is_better: bool
    sent: int
    answered: int
    pairs: int
    mean_start: float | None
    mean_closure: float | None


class InsightOut(Schema):
    program_id: int
    period: PeriodChoice
    start: dt.date
    end: dt.date
    waiting: WaitingOut
    time_to_match: TimeToMatchOut
    months: list[MonthOut]
    pipeline: PipelineOut
    standing: StandingOut
    strain: StrainOut
    escalations: EscalationsOut
    outcomes: list[OutcomeChangeOut]


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _time_to_match(numbers: DashboardNumbers) -> TimeToMatchOut:
    figure = numbers.time_to_match
    return TimeToMatchOut(
        received=figure.received,
        matched=figure.matched,
        within_sla=figure.within_sla,
        median_days=figure.median_days,
        p90_days=figure.p90_days,
        distribution=[DaysCountOut(days=days, count=count) for days, count in figure.distribution],
        longer=figure.longer,
    )


def _people(numbers: DashboardNumbers) -> tuple[PipelineOut, StandingOut, StrainOut]:
    pipeline, standing, strain = (
        numbers.people.pipeline,
        numbers.people.standing,
        numbers.people.strain,
    )
    return (
        PipelineOut(
            applied=pipeline.applied,
            steps=[StepOut(name=str(step.name), passed=step.passed) for step in pipeline.steps],
            ready=pipeline.ready,
            matched=pipeline.matched,
        ),
        StandingOut.model_validate(standing, from_attributes=True),
        StrainOut.model_validate(strain, from_attributes=True),
    )


def _insight(
    program_id: int, choice: PeriodChoice, period: Period, numbers: DashboardNumbers
) -> InsightOut:
    pipeline, standing, strain = _people(numbers)
    return InsightOut(
        program_id=program_id,
        period=choice,
        start=period.start,
        end=period.end,
        waiting=WaitingOut.model_validate(numbers.waiting, from_attributes=True),
        time_to_match=_time_to_match(numbers),
        months=[
            MonthOut.model_validate(month, from_attributes=True)
            for month in numbers.by_month.months
        ],
        pipeline=pipeline,
        standing=standing,
        strain=strain,
        escalations=EscalationsOut.model_validate(numbers.escalations, from_attributes=True),
        outcomes=[
            OutcomeChangeOut(
                questionnaire=str(change.name),
                higher_is_better=change.higher_is_better,
                sent=change.sent,
                answered=change.answered,
                pairs=change.pairs,
                mean_start=_number(change.mean_start),
                mean_closure=_number(change.mean_closure),
            )
            for change in numbers.changes
        ],
    )


@insight_router.get(
    "/{program_id}/insight",
    response=responses({200: InsightOut}, 404),
    openapi_extra=documented_scope(Scope.READ_REPORTS),
)
def program_insight(
    request: HttpRequest,
    program_id: int = an_id(),
    period: PeriodChoice = PeriodParam,
) -> InsightOut:
    """A program's dashboard figures for a period, as its coordinators' dashboard shows them:
    requests waiting and time to match, matches and hours by month, the supporters' pipeline,
    standing and strain, escalations, and the outcome questionnaires' mean scores."""
    caller = caller_for(request, Scope.READ_REPORTS)
    program = get_program_for(caller.user, program_id)
    if not caller.reaches_program(program.pk):
        raise not_found()
    now = timezone.now()
    chosen = Period.of(period, program.calendar.today(now))
    numbers = dashboard_numbers(programs=[program], period=chosen, now=now)
    return _insight(program.pk, period, chosen, numbers)
