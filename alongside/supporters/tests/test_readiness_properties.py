"""Property tests of the readiness gate: a supporter is ready exactly when every required step,
check and training is current; each one missing is named once; matching refuses the others."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alongside.intake.factories import SupportRequestFactory
from alongside.matching.queries import check_pair
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import PipelineStep, StepKind, TrainingModule
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    StepOutcome,
    StepRecord,
    TrainingRecord,
)
from alongside.supporters.queries import readiness

STEP_KINDS = (StepKind.SCREENING_CALL, StepKind.INTERVIEW, StepKind.REFERENCES, StepKind.AGREEMENT)
CHECKS = ("none", "pending", "cleared", "expired", "not_cleared")
TRAININGS = ("none", "current", "expired", "no_expiry")
counter = itertools.count()

steps = st.lists(
    st.tuples(
        st.sampled_from(STEP_KINDS),
        st.booleans(),  # required
        st.sampled_from(("none", StepOutcome.PASSED, StepOutcome.NOT_PASSED)),
    ),
    max_size=4,
)
modules = st.lists(st.tuples(st.booleans(), st.sampled_from(TRAININGS)), max_size=3)


def _record_check(supporter, state: str, today: dt.date, now: dt.datetime) -> None:
    if state == "none":
        return
    status = {
        "pending": CheckStatus.REQUESTED,
        "not_cleared": CheckStatus.NOT_CLEARED,
    }.get(state, CheckStatus.CLEARED)
    BackgroundCheck.objects.create(
        supporter=supporter,
        kind=CheckKind.CRIMINAL_RECORD,
        status=status,
        requested_on=today - dt.timedelta(days=400),
        cleared_on=today - dt.timedelta(days=390) if status == CheckStatus.CLEARED else None,
        expires_on=today - dt.timedelta(days=1) if state == "expired" else None,
        recorded_at=now,
    )


def _record_training(supporter, module, state: str, today: dt.date, now: dt.datetime) -> None:
    if state == "none":
        return
    expires = {
        "current": today + dt.timedelta(days=30),
        "expired": today - dt.timedelta(days=1),
        "no_expiry": None,
    }[state]
    TrainingRecord.objects.create(
        supporter=supporter,
        module=module,
        completed_on=today - dt.timedelta(days=200),
        expires_on=expires,
        recorded_at=now,
    )


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=steps,
    check_required=st.booleans(),
    check=st.sampled_from(CHECKS),
    modules=modules,
)
def test_ready_exactly_when_every_required_item_is_current_and_matching_agrees(
    ms, steps, check_required, check, modules
):
    now = timezone.now()
    program = ProgramFactory(slug=f"gate-{next(counter)}", experiences=[ms])
    # The program's own day, as matching counts it (before 05:00 UTC, Toronto is a day behind).
    today = timezone.localdate(timezone=program.calendar.zone)
    supporter = SupporterFactory(program=program)
    LivedExperienceFactory(supporter=supporter, experience=ms)
    unmet = 0
    for order, (kind, required, outcome) in enumerate(steps):
        step = PipelineStep.objects.create(
            program=program, name=f"{kind} {order}", kind=kind, order=order, is_required=required
        )
        if outcome != "none":
            StepRecord.objects.create(
                supporter=supporter, step=step, outcome=outcome, recorded_at=now
            )
        unmet += required and outcome != StepOutcome.PASSED
    PipelineStep.objects.create(
        program=program,
        name="Background check",
        kind=StepKind.BACKGROUND_CHECK,
        order=len(steps),
        is_required=check_required,
    )
    _record_check(supporter, check, today, now)
    unmet += check_required and check not in ("cleared",)
    for number, (required, state) in enumerate(modules):
        module = TrainingModule.objects.create(
            program=program,
            name=f"Module {number}",
            competency_areas=["communication"],
            validity_months=12,
            is_required=required,
        )
        _record_training(supporter, module, state, today, now)
        unmet += required and state in ("none", "expired")

    gate = readiness(supporter, today)
    fit = check_pair(SupportRequestFactory(program=program, experience=ms), supporter)

    assert gate.is_ready == (unmet == 0)
    assert len(gate.missing) == unmet
    assert fit.can_match == gate.is_ready
    assert set(gate.missing) <= set(fit.reasons)
