"""The pipeline: its steps and trainings, what is recorded against them, and the status it gives."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.calendar import add_months
from alongside.core.errors import DomainError
from alongside.programs.content import in_each_language
from alongside.programs.models import (
    CompetencyArea,
    PipelineStep,
    Program,
    StepKind,
    TrainingModule,
)
from alongside.supporters import steps
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    PauseReason,
    StepOutcome,
    StepRecord,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.queries import IN_PIPELINE_STATUSES, Readiness, readiness

DEFAULT_STEPS = (
    (StepKind.SCREENING_CALL, gettext_lazy("screening call")),
    (StepKind.INTERVIEW, gettext_lazy("interview")),
    (StepKind.REFERENCES, gettext_lazy("references")),
    (StepKind.BACKGROUND_CHECK, gettext_lazy("background check")),
    (StepKind.TRAINING, gettext_lazy("training")),
    (StepKind.AGREEMENT, gettext_lazy("confidentiality agreement")),
    (StepKind.AGREEMENT, gettext_lazy("code of conduct")),
)
DEFAULT_MODULES = (
    (
        gettext_lazy("Foundations"),
        [CompetencyArea.COMMUNICATION, CompetencyArea.STRENGTHS_BASED],
        None,
    ),
    (gettext_lazy("Boundaries"), [CompetencyArea.BOUNDARIES, CompetencyArea.CONFIDENTIALITY], 24),
    (gettext_lazy("Crisis response"), [CompetencyArea.CRISIS_RESPONSE], 12),
)


@transaction.atomic
def create_default_pipeline(*, program: Program, created_by: User | None) -> list[PipelineStep]:
    """Give a program the usual steps and trainings, unless it already has its own."""
    if program.pipeline_steps.exists():
        return list(program.pipeline_steps.all())
    # Named in each of the program's languages our catalogues know (ADR 0004).
    languages = program.content_languages()
    steps = []
    for order, (kind, words) in enumerate(DEFAULT_STEPS, start=1):
        name, translations = in_each_language(words, languages)
        steps.append(
            PipelineStep.objects.create(
                program=program,
                name=name,
                kind=kind,
                order=order,
                is_required=True,
                translations=translations,
            )
        )
    if not program.training_modules.exists():
        for words, areas, months in DEFAULT_MODULES:
            name, translations = in_each_language(words, languages)
            TrainingModule.objects.create(
                program=program,
                name=name,
                competency_areas=areas,
                validity_months=months,
                translations=translations,
            )
    record_event(actor=created_by, action="supporters.pipeline.created", target=program)
    return steps


def record_supporter_viewed(*, supporter: Supporter, viewer: User) -> None:
    """Notes that someone read a supporter's record (experiences, notes)."""
    record_event(actor=viewer, action="supporters.supporter.viewed", target=supporter)


def _ensure_in_program(supporter: Supporter, program_id: int) -> None:
    if supporter.program_id != program_id:
        raise DomainError(_("That belongs to another program."))


def refresh_status(supporter: Supporter, *, actor: User | None) -> None:
    """Moves a supporter on when their records change: to screening, to ready, off a pause;
    and to the step they now wait at (supporters/steps.py)."""
    # Locked: two records of one supporter at once each see the other's before moving them.
    supporter.refresh_from_db(
        from_queryset=Supporter.objects.select_for_update(),
        fields=["status", "pause_reason", *steps.STEP_FIELDS],
    )
    state = readiness(supporter)
    new_status = _status_after(supporter, state)
    changed = steps.place_at(supporter, steps.step_of(new_status, state), timezone.now())
    moved_on = new_status != supporter.status
    if moved_on:
        supporter.status = new_status
        supporter.pause_reason = ""
        changed += ["status", "pause_reason"]
    if changed:
        supporter.save(update_fields=changed)
    if moved_on:
        record_event(
            actor=actor,
            action="supporters.supporter.ready"
            if new_status == SupporterStatus.ACTIVE
            else "supporters.supporter.screening",
            target=supporter,
        )


def _status_after(supporter: Supporter, state: Readiness) -> str:
    if supporter.status in IN_PIPELINE_STATUSES and state.is_ready:
        return SupporterStatus.ACTIVE
    if supporter.status == SupporterStatus.APPLIED:
        return SupporterStatus.SCREENING
    if (
        supporter.status == SupporterStatus.PAUSED
        and supporter.pause_reason in (PauseReason.EXPIRED, PauseReason.NOT_READY)
        and state.is_ready
    ):
        return SupporterStatus.ACTIVE
    return supporter.status


@transaction.atomic
def record_step(
    *, supporter: Supporter, step: PipelineStep, outcome: StepOutcome | str, notes: str, by: User
) -> StepRecord:
    """Record the outcome of a step (a call, an interview, references, an agreement signed)."""
    _ensure_in_program(supporter, step.program_id)
    if step.kind in (StepKind.BACKGROUND_CHECK, StepKind.TRAINING):
        raise DomainError(
            _("The %(step)s is done by recording it below, not as a step.") % {"step": step.name}
        )
    record = StepRecord.objects.create(
        supporter=supporter,
        step=step,
        outcome=outcome,
        notes=notes,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.step.recorded",
        target=supporter,
        data={"step": step.pk, "outcome": str(outcome)},
    )
    refresh_status(supporter, actor=by)
    return record


def advance_to_next_step(*, supporters: Sequence[Supporter], by: User) -> list[str]:
    """Mark each supporter's current step done; returns, for people, what could not be done."""
    problems: list[str] = []
    for supporter in supporters:
        step = readiness(supporter).current_step
        if step is None:
            problems.append(_("%(name)s has no step waiting.") % {"name": supporter.display_name})
            continue
        try:
            record_step(supporter=supporter, step=step, outcome=StepOutcome.PASSED, notes="", by=by)
        except DomainError as error:
            problems.append(f"{supporter.display_name}: {error.message}")
    return problems


@transaction.atomic
def record_background_check(
    *,
    supporter: Supporter,
    kind: CheckKind | str,
    status: CheckStatus | str,
    requested_on: dt.date,
    cleared_on: dt.date | None = None,
    expires_on: dt.date | None = None,
    by: User,
) -> BackgroundCheck:
    """Record where a background check stands (its status and dates only, never its content)."""
    if status == CheckStatus.CLEARED and cleared_on is None:
        raise DomainError(_("Please give the day the check was cleared."))
    if cleared_on and cleared_on < requested_on:
        raise DomainError(_("A check cannot be cleared before it was requested."))
    if expires_on and cleared_on and expires_on <= cleared_on:
        raise DomainError(_("A check must expire after the day it was cleared."))
    check = BackgroundCheck.objects.create(
        supporter=supporter,
        kind=kind,
        status=status,
        requested_on=requested_on,
        cleared_on=cleared_on if status == CheckStatus.CLEARED else None,
        expires_on=expires_on if status == CheckStatus.CLEARED else None,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.check.recorded",
        target=supporter,
        data={"kind": str(kind), "status": str(status)},
    )
    refresh_status(supporter, actor=by)
    return check


@transaction.atomic
def record_training(
    *, supporter: Supporter, module: TrainingModule, completed_on: dt.date, by: User
) -> TrainingRecord:
    """Record a completed training; it expires after the module's validity."""
    _ensure_in_program(supporter, module.program_id)
    if completed_on > supporter.program.calendar.today():
        raise DomainError(_("A training cannot be completed in the future."))
    training = TrainingRecord.objects.create(
        supporter=supporter,
        module=module,
        completed_on=completed_on,
        expires_on=add_months(completed_on, module.validity_months)
        if module.validity_months
        else None,
        recorded_by=by,
        recorded_at=timezone.now(),
    )
    record_event(
        actor=by,
        action="supporters.training.recorded",
        target=supporter,
        data={"module": module.pk},
    )
    refresh_status(supporter, actor=by)
    return training
