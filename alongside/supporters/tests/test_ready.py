"""The readiness gate set by set (`ready_ids`) says what the gate supporter by supporter
(`readiness_of`) says, on supporters missing each kind of step in many combinations."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from alongside.programs.factories import ProgramFactory
from alongside.programs.models import PipelineStep, Program, StepKind, TrainingModule
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.gate import readiness_of_a_few
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.queries import readiness_of, ready_ids
from alongside.supporters.services.pipeline import create_default_pipeline

# What a supporter's records of one step may look like, oldest first.
STEP_HISTORIES = (
    (),
    ("passed",),
    ("not_passed",),
    ("not_passed", "passed"),
    ("passed", "not_passed"),
)
CHECK_HISTORIES = (
    (),
    ("cleared",),
    ("requested",),
    ("not_cleared",),
    ("expired",),
    ("cleared", "requested"),  # a renewal asked for: the latest is pending
    ("expired", "cleared"),
)
TRAINING_HISTORIES = ((), ("current",), ("expired",), ("no_expiry",), ("expired", "current"))


def _at(now: dt.datetime, order: int) -> dt.datetime:
    return now - dt.timedelta(hours=10 - order)


def _record_steps(supporter: Supporter, step: PipelineStep, history, now) -> None:
    for order, outcome in enumerate(history):
        StepRecord.objects.create(
            supporter=supporter, step=step, outcome=outcome, recorded_at=_at(now, order)
        )


def _record_checks(supporter: Supporter, history, today: dt.date, now) -> None:
    for order, state in enumerate(history):
        status = CheckStatus.CLEARED if state in ("cleared", "expired") else state
        BackgroundCheck.objects.create(
            supporter=supporter,
            kind=CheckKind.CRIMINAL_RECORD,
            status=status,
            requested_on=today - dt.timedelta(days=400),
            expires_on=today - dt.timedelta(days=1) if state == "expired" else today,
            recorded_at=_at(now, order),
        )


def _record_trainings(supporter, module, history, today: dt.date, now) -> None:
    ends = {"current": today, "expired": today - dt.timedelta(days=1), "no_expiry": None}
    for order, state in enumerate(history):
        TrainingRecord.objects.create(
            supporter=supporter,
            module=module,
            completed_on=today - dt.timedelta(days=300),
            expires_on=ends[state],
            recorded_at=_at(now, order),
        )


def _varied_supporters(program: Program, count: int, seed: int) -> list[Supporter]:
    """`count` supporters, each with a random history of every step, check and training."""
    chosen = random.Random(seed)
    now = timezone.now()
    today = program.calendar.today(now)
    steps = list(PipelineStep.objects.filter(program=program))
    modules = list(TrainingModule.objects.filter(program=program))
    statuses = [SupporterStatus.ACTIVE, SupporterStatus.SCREENING, SupporterStatus.PAUSED]
    supporters = []
    for _number in range(count):
        supporter = SupporterFactory(program=program, status=chosen.choice(statuses))
        # A third have done everything, so that the ready and the not ready are both many.
        done = chosen.random() < 0.35
        for step in steps:
            if step.kind == StepKind.BACKGROUND_CHECK:
                history = CHECK_HISTORIES[1] if done else chosen.choice(CHECK_HISTORIES)
                _record_checks(supporter, history, today, now)
            elif step.kind != StepKind.TRAINING:
                history = STEP_HISTORIES[1] if done else chosen.choice(STEP_HISTORIES)
                _record_steps(supporter, step, history, now)
        for module in modules:
            history = TRAINING_HISTORIES[1] if done else chosen.choice(TRAINING_HISTORIES)
            _record_trainings(supporter, module, history, today, now)
        supporters.append(supporter)
    return supporters


def _gate_says(supporters: list[Supporter], today: dt.date) -> set[int]:
    return {pk for pk, found in readiness_of(supporters, today).items() if found.is_ready}


@pytest.fixture
def pipeline_program(db) -> Program:
    program = ProgramFactory(slug="gate")
    create_default_pipeline(program=program, created_by=None)
    # A step retired with nobody's record of it no longer counts; an optional one never did.
    PipelineStep.objects.create(
        program=program,
        name="Old step",
        kind=StepKind.INTERVIEW,
        order=90,
        retired_at=timezone.now(),
    )
    PipelineStep.objects.create(
        program=program, name="Coffee", kind=StepKind.REFERENCES, order=91, is_required=False
    )
    TrainingModule.objects.create(
        program=program, name="Optional", competency_areas=["communication"], is_required=False
    )
    return program


def test_the_set_by_set_gate_agrees_with_the_gate_on_every_kind_of_missing_step(pipeline_program):
    supporters = _varied_supporters(pipeline_program, 60, seed=15)
    today = pipeline_program.calendar.today(timezone.now())
    expected = _gate_says(supporters, today)

    assert 10 < len(expected) < 50  # both kinds are many: the comparison means something
    assert ready_ids(pipeline_program.pk, today) == expected


def test_the_set_by_set_gate_agrees_tomorrow_when_a_training_or_check_has_expired(
    pipeline_program,
):
    supporters = _varied_supporters(pipeline_program, 30, seed=16)
    tomorrow = pipeline_program.calendar.today(timezone.now()) + dt.timedelta(days=1)

    assert ready_ids(pipeline_program.pk, tomorrow) == _gate_says(supporters, tomorrow)


def test_trainings_count_without_a_training_step_and_not_behind_an_optional_one(db):
    without_step = ProgramFactory(slug="no-training-step")
    optional_step = ProgramFactory(slug="optional-training-step")
    PipelineStep.objects.create(
        program=optional_step, name="Training", kind=StepKind.TRAINING, order=1, is_required=False
    )
    found = {}
    for program in (without_step, optional_step):
        TrainingModule.objects.create(
            program=program, name="Listening", competency_areas=["communication"]
        )
        supporters = _varied_supporters(program, 12, seed=program.pk)
        today = program.calendar.today(timezone.now())
        found[program.slug] = ready_ids(program.pk, today)
        assert found[program.slug] == _gate_says(supporters, today)

    assert len(found["no-training-step"]) < 12  # some are missing their training
    assert len(found["optional-training-step"]) == 12  # an optional step asks for nothing


def test_another_programs_records_never_count(pipeline_program):
    (supporter,) = _varied_supporters(pipeline_program, 1, seed=1)
    elsewhere = ProgramFactory(slug="elsewhere")
    today = pipeline_program.calendar.today(timezone.now())

    assert ready_ids(elsewhere.pk, today) == set()
    assert ready_ids(pipeline_program.pk, today) == _gate_says([supporter], today)


def test_a_few_supporters_gate_from_values_says_the_gates_words_in_two_queries(
    pipeline_program, django_assert_num_queries
):
    supporters = _varied_supporters(pipeline_program, 24, seed=17)
    today = pipeline_program.calendar.today(timezone.now())
    expected = {pk: found.missing for pk, found in readiness_of(supporters, today).items()}

    with django_assert_num_queries(2):
        found = readiness_of_a_few(pipeline_program, supporters, today)

    assert {pk: each.missing for pk, each in found.items()} == expected
    assert any(expected.values())  # some miss something, and some nothing
    assert not all(expected.values())
    assert readiness_of_a_few(pipeline_program, [], today) == {}


def test_of_two_records_at_the_same_moment_the_one_written_last_counts(pipeline_program):
    step = PipelineStep.objects.filter(program=pipeline_program, is_required=True).exclude(
        kind__in=(StepKind.BACKGROUND_CHECK, StepKind.TRAINING)
    )[0]
    supporters = _varied_supporters(pipeline_program, 30, seed=18)
    now = timezone.now()
    today = pipeline_program.calendar.today(now)
    ready = _gate_says(supporters, today)
    passed_then_not, not_then_passed = supporters[0], supporters[1]
    for supporter, outcomes in (
        (passed_then_not, ("passed", "not_passed")),
        (not_then_passed, ("not_passed", "passed")),
    ):
        for outcome in outcomes:
            StepRecord.objects.create(
                supporter=supporter, step=step, outcome=outcome, recorded_at=now
            )

    expected = _gate_says(supporters, today)
    assert passed_then_not.pk not in expected
    assert ready_ids(pipeline_program.pk, today) == expected
    assert expected - ready <= {not_then_passed.pk}
