"""The step each supporter on their way waits at, stored on their row (supporters/steps.py): kept
current by every service that records a step, a check or a training, by leaving, by a change of
the program's steps and by the daily job, and always the gate's own (the board's)."""

import datetime as dt
import random
import uuid
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.utils import timezone

from alongside.core.calendar import add_months
from alongside.matches.services.offboarding import offboard_supporter
from alongside.periodic.runner import run_job
from alongside.programs.models import PipelineStep, Program, StepKind
from alongside.programs.services import pipeline as program_pipeline
from alongside.supporters import jobs, steps
from alongside.supporters.factories import SupporterFactory, not_ready_supporter
from alongside.supporters.models import (
    CheckKind,
    CheckStatus,
    StepOutcome,
    Supporter,
    SupporterStatus,
    WithdrawalReason,
)
from alongside.supporters.queries import readiness
from alongside.supporters.services import applications, pipeline
from alongside.supporters.tests.test_services import answers

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 15, tzinfo=dt.UTC)


def step_of(program: Program, kind: StepKind, nth: int = 0) -> PipelineStep:
    return list(program.pipeline_steps.filter(kind=kind).order_by("order"))[nth]


def placed(supporter: Supporter) -> tuple[str | None, dt.datetime | None]:
    supporter.refresh_from_db()
    step = supporter.current_step
    return (step.kind if step else None), supporter.step_since


def passed(supporter: Supporter, step: PipelineStep, by) -> None:
    pipeline.record_step(
        supporter=supporter, step=step, outcome=StepOutcome.PASSED, notes="", by=by
    )


def cleared_check(supporter: Supporter, by, *, cleared_on: dt.date, months: int = 36) -> None:
    pipeline.record_background_check(
        supporter=supporter,
        kind=CheckKind.CRIMINAL_RECORD,
        status=CheckStatus.CLEARED,
        requested_on=cleared_on - dt.timedelta(days=10),
        cleared_on=cleared_on,
        expires_on=add_months(cleared_on, months),
        by=by,
    )


@pytest.fixture
def waiting(program_a: Program) -> Supporter:
    """A supporter in screening with nothing done, placed at the first step (as the
    migration or an application places one)."""
    with time_machine.travel(NOW - dt.timedelta(days=10), tick=False):
        supporter = not_ready_supporter(program=program_a)
        steps.place_again([supporter.pk])
    return supporter


def test_an_admitted_applicant_waits_at_the_first_step_since_they_applied(program_a, ms):
    program_a.eligibility_rules = []
    program_a.save()
    pipeline.create_default_pipeline(program=program_a, created_by=None)

    application = applications.submit_application(
        program=program_a, submission_token=uuid.uuid4(), answers=answers(ms), consent=True
    )

    supporter = application.supporter
    assert placed(supporter) == (StepKind.SCREENING_CALL, supporter.created_at)


def test_each_step_recorded_moves_them_to_the_next_since_it_was_recorded(
    program_a, coordinator_a, waiting
):
    with time_machine.travel(NOW, tick=False):
        passed(waiting, step_of(program_a, StepKind.SCREENING_CALL), coordinator_a)

    assert placed(waiting) == (StepKind.INTERVIEW, NOW)
    assert waiting.days_at_step == (timezone.now() - NOW).days


def test_a_step_not_passed_keeps_them_where_they_wait_and_since_when(
    program_a, coordinator_a, waiting
):
    before = placed(waiting)

    with time_machine.travel(NOW, tick=False):
        pipeline.record_step(
            supporter=waiting,
            step=step_of(program_a, StepKind.SCREENING_CALL),
            outcome=StepOutcome.NOT_PASSED,
            notes="Call again",
            by=coordinator_a,
        )

    assert placed(waiting) == before


def test_a_step_recorded_out_of_order_leaves_them_at_the_first_they_have_not_met(
    program_a, coordinator_a, waiting
):
    before = placed(waiting)

    passed(waiting, step_of(program_a, StepKind.REFERENCES), coordinator_a)

    assert placed(waiting) == before
    assert before[0] == StepKind.SCREENING_CALL


def test_the_last_step_met_makes_them_active_and_at_no_step(program_a, coordinator_a, waiting):
    today = timezone.localdate()
    for step in program_a.pipeline_steps.exclude(
        kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING]
    ):
        passed(waiting, step, coordinator_a)
        assert placed(waiting)[0] == readiness(waiting).current_step.kind
    assert placed(waiting)[0] == StepKind.BACKGROUND_CHECK
    cleared_check(waiting, coordinator_a, cleared_on=today)
    assert placed(waiting)[0] == StepKind.TRAINING
    for module in program_a.training_modules.all():
        pipeline.record_training(
            supporter=waiting, module=module, completed_on=today, by=coordinator_a
        )

    assert placed(waiting) == (None, None)
    assert waiting.status == SupporterStatus.ACTIVE


def test_a_supporter_who_withdraws_in_screening_waits_at_no_step(coordinator_a, waiting):
    offboard_supporter(
        supporter=waiting,
        by=coordinator_a,
        status=SupporterStatus.WITHDRAWN,
        reason="No time after all",
        withdrawal_reason=WithdrawalReason.TIME,
    )

    assert placed(waiting) == (None, None)


def test_the_daily_job_moves_one_whose_check_expired_back_to_the_check(
    program_a, coordinator_a, waiting
):
    with time_machine.travel(NOW, tick=False):
        for kind in (StepKind.SCREENING_CALL, StepKind.INTERVIEW, StepKind.REFERENCES):
            passed(waiting, step_of(program_a, kind), coordinator_a)
        cleared_check(waiting, coordinator_a, cleared_on=dt.date(2026, 3, 1), months=1)
    assert placed(waiting)[0] == StepKind.TRAINING

    # The run reads the gate on the program's day at the run's moment (a replay, here).
    later = dt.datetime(2026, 4, 3, 12, tzinfo=dt.UTC)
    summary = run_job(jobs.keep_steps_current, now=later)

    assert summary.changed == 1
    assert placed(waiting) == (StepKind.BACKGROUND_CHECK, later)


def test_the_daily_job_leaves_those_still_at_their_step_alone(program_a, waiting, supporter_a):
    before = placed(waiting)

    summary = run_job(jobs.keep_steps_current, now=NOW)

    assert summary.changed == 0
    assert placed(waiting) == before
    assert placed(supporter_a) == (None, None)


def test_a_new_first_step_moves_those_waiting_once_the_worker_places_them(
    program_a, coordinator_a, waiting, django_capture_on_commit_callbacks
):
    first = step_of(program_a, StepKind.SCREENING_CALL)
    welcome = program_pipeline.add_pipeline_step(
        program=program_a,
        by=coordinator_a,
        name="Welcome call",
        kind=StepKind.SCREENING_CALL,
        is_required=True,
    )
    while welcome.order > 2:
        welcome = program_pipeline.move_pipeline_step(
            step=welcome, by=coordinator_a, direction="up"
        )
    assert placed(waiting)[0] == StepKind.SCREENING_CALL  # nothing moves in the page's request

    # The worker (here at once, as huey runs in tests) places them when the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        program_pipeline.move_pipeline_step(step=welcome, by=coordinator_a, direction="up")

    waiting.refresh_from_db()
    assert waiting.current_step == PipelineStep.objects.get(pk=welcome.pk)
    assert waiting.current_step != first


def test_the_stored_step_is_the_gates_whatever_was_recorded(program_a, coordinator_a):
    """Many supporters, each with a random history, placed by the services as it was
    recorded: each stored step is what the gate (and the board) says now."""
    chooser = random.Random(16)
    today = timezone.localdate()
    people = [not_ready_supporter(program=program_a) for _ in range(12)]
    steps.place_again([supporter.pk for supporter in people])
    recordable = list(
        program_a.pipeline_steps.exclude(kind__in=[StepKind.BACKGROUND_CHECK, StepKind.TRAINING])
    )
    for supporter in people:
        for _ in range(chooser.randint(0, 8)):
            action = chooser.random()
            if action < 0.7:
                pipeline.record_step(
                    supporter=supporter,
                    step=chooser.choice(recordable),
                    outcome=chooser.choice(list(StepOutcome)),
                    notes="",
                    by=coordinator_a,
                )
            elif action < 0.85:
                cleared_check(supporter, coordinator_a, cleared_on=today)
            else:
                pipeline.record_training(
                    supporter=supporter,
                    module=chooser.choice(list(program_a.training_modules.all())),
                    completed_on=today,
                    by=coordinator_a,
                )

    for supporter in people:
        supporter.refresh_from_db()
        gate = readiness(supporter).current_step
        expected = gate if supporter.status == SupporterStatus.SCREENING else None
        assert supporter.current_step == expected, supporter.pk


def test_the_migration_places_those_on_their_way_and_marks_old_withdrawals_not_recorded(
    program_a, coordinator_a, waiting
):
    passed(waiting, step_of(program_a, StepKind.SCREENING_CALL), coordinator_a)
    Supporter.objects.filter(pk=waiting.pk).update(current_step=None, step_since=None)
    gone = SupporterFactory(program=program_a, status=SupporterStatus.WITHDRAWN)
    active = SupporterFactory(program=program_a)
    migration = import_module(
        "alongside.supporters.migrations.0015_withdrawal_reason_and_current_step"
    )

    migration.not_recorded(apps, None)
    migration.place_at_their_steps(apps, None)

    latest = waiting.step_records.latest("recorded_at").recorded_at
    assert placed(waiting) == (StepKind.INTERVIEW, latest)
    assert placed(active) == (None, None)
    gone.refresh_from_db()
    active.refresh_from_db()
    assert (gone.withdrawal_reason, active.withdrawal_reason) == ("not_recorded", "")
