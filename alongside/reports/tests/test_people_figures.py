"""Supporters, escalations and outcomes, counted by hand on a Vancouver program in February 2026."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest

from alongside.matches.factories import HoursReportFactory, MatchFactory
from alongside.outcomes.factories import SurveyFactory
from alongside.outcomes.models import Occasion
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import PipelineStep, Program, StepKind
from alongside.reports.figures.outcomes import outcome_change
from alongside.reports.figures.safety import escalations
from alongside.reports.figures.supporters import supporter_figures
from alongside.reports.periods import Period
from alongside.safety.models import Escalation, EscalationStatus, Urgency
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    DebriefRequest,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    WellbeingCheckIn,
    WithdrawalReason,
)

VANCOUVER = zoneinfo.ZoneInfo("America/Vancouver")
FEBRUARY = Period(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
NOW = dt.datetime(2026, 2, 15, 20, tzinfo=dt.UTC)


def at(month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=VANCOUVER)


@pytest.fixture
def pacific(db: None) -> Program:
    return ProgramFactory(slug="pacific", time_zone="America/Vancouver", subdivision="BC")


def supporter(program: Program, applied: dt.datetime, status: SupporterStatus) -> Supporter:
    person = SupporterFactory(program=program, status=status)
    Supporter.objects.filter(pk=person.pk).update(created_at=applied)
    return person


def passed(person: Supporter, step: PipelineStep, when: dt.datetime) -> None:
    StepRecord.objects.create(
        supporter=person, step=step, outcome=StepOutcome.PASSED, recorded_at=when
    )


@pytest.fixture
def people(pacific: Program) -> dict[str, Supporter]:
    interview = PipelineStep.objects.create(
        program=pacific, name="Interview", kind=StepKind.INTERVIEW, order=0
    )
    PipelineStep.objects.create(
        program=pacific, name="Check", kind=StepKind.BACKGROUND_CHECK, order=1
    )
    ready = supporter(pacific, at(2, 2, 10), SupporterStatus.ACTIVE)
    passed(ready, interview, at(2, 4, 10))
    BackgroundCheck.objects.create(
        supporter=ready,
        kind=CheckKind.VULNERABLE_SECTOR,
        status=CheckStatus.CLEARED,
        requested_on=dt.date(2026, 2, 3),
        cleared_on=dt.date(2026, 2, 5),
        recorded_at=at(2, 5, 10),
    )
    MatchFactory(program=pacific, supporter=ready)
    # Applied on 28 February at 22:00 in Vancouver (1 March in UTC): February's.
    late = supporter(pacific, at(2, 28, 22), SupporterStatus.SCREENING)
    passed(late, interview, at(3, 3, 22))
    # Applied on 31 January at 23:00 in Vancouver (1 February in UTC): January's.
    supporter(pacific, at(1, 31, 23), SupporterStatus.APPLIED)
    left = supporter(pacific, at(2, 10, 9), SupporterStatus.WITHDRAWN)
    Supporter.objects.filter(pk=left.pk).update(status_changed_at=at(2, 20, 9))
    MatchFactory(program=pacific, supporter=left)
    steady = supporter(pacific, at(1, 5, 9), SupporterStatus.ACTIVE)
    return {"ready": ready, "steady": steady}


def test_the_funnel_follows_the_periods_applicants_through_each_step(
    pacific: Program, people: dict[str, Supporter]
) -> None:
    pipeline = supporter_figures(programs=[pacific], period=FEBRUARY, now=NOW).pipeline

    assert pipeline.applied == 3
    assert [(str(step.name), step.passed) for step in pipeline.steps] == [
        ("Interview", 2),
        ("Check", 1),
    ]
    assert [step.average_days for step in pipeline.steps] == [2.5, None]
    assert (pipeline.ready, pipeline.matched) == (2, 2)


def test_standing_counts_everyone_now_and_who_left_in_the_period(
    pacific: Program, people: dict[str, Supporter]
) -> None:
    standing = supporter_figures(programs=[pacific], period=FEBRUARY, now=NOW).standing

    assert (standing.active, standing.withdrawn, standing.alumni) == (2, 1, 0)
    assert (standing.withdrew, standing.withdrew_while_matched) == (1, 1)


def withdrew(program: Program, when: dt.datetime, reason: str, status=SupporterStatus.WITHDRAWN):
    person = SupporterFactory(program=program, status=status, withdrawal_reason=reason)
    Supporter.objects.filter(pk=person.pk).update(status_changed_at=when)


def test_those_who_withdrew_in_the_period_are_counted_by_their_main_reason(
    pacific: Program, people: dict[str, Supporter]
) -> None:
    # The fixture's one who left on 20 February withdrew before the reason was asked (none).
    withdrew(pacific, at(2, 3, 9), WithdrawalReason.TIME)
    withdrew(pacific, at(2, 11, 9), WithdrawalReason.TIME)
    withdrew(pacific, at(2, 12, 9), WithdrawalReason.BURNOUT)
    # 28 February at 22:00 in Vancouver is 1 March in UTC: February's.
    withdrew(pacific, at(2, 28, 22), WithdrawalReason.MOVED)
    withdrew(pacific, at(2, 1, 9), WithdrawalReason.NOT_RECORDED)
    # 31 January at 23:00 in Vancouver is 1 February in UTC: January's.
    withdrew(pacific, at(1, 31, 23), WithdrawalReason.OWN_HEALTH)
    # Not withdrawn: their reason (none) is not counted.
    withdrew(pacific, at(2, 14, 9), "", status=SupporterStatus.ALUMNI)

    standing = supporter_figures(programs=[pacific], period=FEBRUARY, now=NOW).standing

    assert standing.withdrew == 6
    assert dict(standing.withdrew_by_reason) == {
        WithdrawalReason.TIME: 2,
        WithdrawalReason.OWN_HEALTH: 0,
        WithdrawalReason.MOVED: 1,
        WithdrawalReason.NOT_A_FIT: 0,
        WithdrawalReason.BURNOUT: 1,
        WithdrawalReason.OTHER: 0,
        WithdrawalReason.NOT_RECORDED: 2,
    }
    assert [reason for reason, _count in standing.withdrew_by_reason] == list(WithdrawalReason)


def test_strain_counts_struggling_over_pledge_and_unanswered_debriefs(
    pacific: Program, people: dict[str, Supporter]
) -> None:
    ready, steady = people["ready"], people["steady"]
    for person, scores in ((ready, (4, 2)), (steady, (1, 4))):
        for day, score in enumerate(scores, start=1):
            WellbeingCheckIn.objects.create(supporter=person, score=score, created_at=at(2, day, 9))
    Supporter.objects.filter(pk=steady.pk).update(expected_hours_per_month=2)
    HoursReportFactory(supporter=steady, month=dt.date(2026, 2, 1), logged_minutes=180)
    DebriefRequest.objects.create(supporter=ready, requested_at=at(2, 10, 9))
    DebriefRequest.objects.create(supporter=steady, requested_at=NOW - dt.timedelta(hours=3))
    DebriefRequest.objects.create(
        supporter=steady, requested_at=at(2, 1, 9), answered_at=at(2, 2, 9)
    )

    strain = supporter_figures(programs=[pacific], period=FEBRUARY, now=NOW).strain

    assert (strain.struggling, strain.over_pledge) == (1, 1)
    assert (strain.open_debriefs, strain.late_debriefs) == (2, 1)


def escalation(
    program: Program,
    raised: dt.datetime,
    urgency: Urgency,
    status: EscalationStatus,
    acknowledged_after: dt.timedelta | None = None,
) -> None:
    row = Escalation.objects.create(program=program, urgency=urgency, status=status)
    Escalation.objects.filter(pk=row.pk).update(
        created_at=raised,
        acknowledged_at=raised + acknowledged_after if acknowledged_after else None,
        resolved_at=raised + dt.timedelta(days=3) if status == EscalationStatus.RESOLVED else None,
    )


def test_escalations_count_acknowledgement_times_against_the_programs_target(
    pacific: Program, program_b: Program
) -> None:
    acknowledged, urgent = EscalationStatus.ACKNOWLEDGED, Urgency.URGENT
    escalation(pacific, at(2, 10, 10), urgent, acknowledged, dt.timedelta(minutes=10))
    escalation(pacific, at(2, 11, 10), urgent, acknowledged, dt.timedelta(minutes=30))
    escalation(
        pacific, at(2, 12, 10), Urgency.BEYOND_ROLE, EscalationStatus.RESOLVED, dt.timedelta(days=2)
    )
    escalation(pacific, at(2, 13, 10), urgent, EscalationStatus.RAISED)
    # Raised on 31 January at 23:00 in Vancouver (1 February in UTC): January's, but open.
    escalation(pacific, at(1, 31, 23), urgent, acknowledged, dt.timedelta(minutes=5))
    escalation(program_b, at(2, 10, 10), urgent, EscalationStatus.RAISED)

    figure = escalations(programs=[pacific], period=FEBRUARY)

    assert (figure.raised, figure.urgent, figure.acknowledged) == (4, 3, 3)
    assert figure.urgent_within_target == 1
    assert [count for _limit, count in figure.acknowledged_by_band] == [1, 1, 0, 0]
    assert figure.acknowledged_later == 1
    assert (figure.open_now, figure.waiting_now) == (4, 1)


def test_outcome_change_pairs_closure_with_start_and_counts_responses(pacific: Program) -> None:
    first, second, third = (MatchFactory(program=pacific) for _number in range(3))
    SurveyFactory(match=first, sent_at=at(1, 5, 9), answered_at=at(1, 6, 9), score=10)
    SurveyFactory(
        match=first,
        occasion=Occasion.CLOSURE,
        sent_at=at(2, 10, 9),
        answered_at=at(2, 12, 9),
        score=16,
    )
    SurveyFactory(match=second, sent_at=at(2, 3, 9), answered_at=at(2, 3, 10), score=8)
    SurveyFactory(match=second, occasion=Occasion.CLOSURE, sent_at=at(2, 20, 9))
    SurveyFactory(
        match=third,
        occasion=Occasion.CLOSURE,
        sent_at=at(2, 14, 9),
        answered_at=at(2, 15, 9),
        score=12,
    )

    (change,) = outcome_change(programs=[pacific], period=FEBRUARY)

    assert (change.sent, change.answered, change.pairs) == (4, 3, 1)
    assert (change.mean_start, change.mean_closure) == (Decimal("10.00"), Decimal("16.00"))
    assert change.mean_change == Decimal("6.00")
    assert change.response_rate == pytest.approx(0.75)
