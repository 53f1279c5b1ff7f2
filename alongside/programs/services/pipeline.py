"""Every change a coordinator makes to a program's supporter pipeline and trainings.

The steps and trainings are the program's configuration, kept as data; the rules here keep it
coherent when it changes: names are told apart, a step's records keep their meaning, and
nothing with records is ever deleted. Each change tells the apps above (`hooks`): a
supporter's step may move when the steps do.
"""

from typing import Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.updates import update_and_audit
from alongside.programs import hooks
from alongside.programs.models import (
    CompetencyArea,
    PipelineStep,
    Program,
    StepKind,
    TrainingModule,
)
from alongside.programs.services.translations import Texts, checked_translations

# Kinds met by other records than a step record: a program has one step of each at most.
ONE_PER_PROGRAM = (StepKind.BACKGROUND_CHECK, StepKind.TRAINING)


def _full_clean(instance: PipelineStep | TrainingModule) -> None:
    try:
        instance.full_clean(exclude=["program", "order"], validate_unique=False)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise DomainError(_("Give it a name."))
    return cleaned


def _check_step(step: PipelineStep) -> None:
    others = PipelineStep.objects.filter(program_id=step.program_id).exclude(pk=step.pk)
    if others.filter(name__iexact=step.name).exists():
        raise DomainError(
            _("The program already has a step called “%(name)s”.") % {"name": step.name}
        )
    if step.kind in ONE_PER_PROGRAM and others.filter(kind=step.kind).exists():
        raise DomainError(
            _(
                "The program already has a %(kind)s step; one is enough, "
                "because it is met by the supporter's %(kind)s records."
            )
            % {"kind": StepKind(step.kind).label.lower()}
        )
    _full_clean(step)


@transaction.atomic
def add_pipeline_step(
    *,
    program: Program,
    by: User,
    name: str,
    kind: str,
    is_required: bool,
    translations: Texts | None = None,
) -> PipelineStep:
    """Add a step at the end of the program's pipeline, named in the program's languages."""
    Program.objects.select_for_update().get(pk=program.pk)
    last = program.pipeline_steps.aggregate(last=Max("order"))["last"] or 0
    step = PipelineStep(
        program=program, name=_clean_name(name), kind=kind, order=last + 1, is_required=is_required
    )
    step.translations = checked_translations(step, translations or {})
    _check_step(step)
    step.save()
    record_event(actor=by, action="programs.pipeline_step.added", target=step)
    hooks.pipeline_changed(step.program_id)
    return step


@transaction.atomic
def change_pipeline_step(
    *,
    step: PipelineStep,
    by: User,
    name: str,
    kind: str,
    is_required: bool,
    translations: Texts | None = None,
) -> PipelineStep:
    """Rename a step, change its kind (only while nobody has a record of it), or whether it is
    required before matching."""
    step = PipelineStep.objects.select_for_update().get(pk=step.pk)
    if kind != step.kind and step.records.exists():
        raise DomainError(
            _(
                "Supporters already have records of “%(name)s”, so its kind cannot change. "
                "Retire it and add a new step instead."
            )
            % {"name": step.name}
        )
    update_and_audit(
        instance=step,
        changes={
            "name": _clean_name(name),
            "kind": kind,
            "is_required": is_required,
            "translations": checked_translations(step, translations or {}),
        },
        actor=by,
        action="programs.pipeline_step.changed",
        check=lambda _changed: _check_step(step),
    )
    hooks.pipeline_changed(step.program_id)
    return step


@transaction.atomic
def move_pipeline_step(
    *, step: PipelineStep, by: User, direction: Literal["up", "down"]
) -> PipelineStep:
    """Swap a step with the one before (up) or after (down) it."""
    Program.objects.select_for_update().get(pk=step.program_id)
    step = PipelineStep.objects.get(pk=step.pk)
    siblings = PipelineStep.objects.current().filter(program_id=step.program_id)
    neighbour = (
        siblings.filter(order__lt=step.order).order_by("-order").first()
        if direction == "up"
        else siblings.filter(order__gt=step.order).order_by("order").first()
    )
    if neighbour is None:
        message = (
            _("“%(name)s” is already the first step.")
            if direction == "up"
            else _("“%(name)s” is already the last step.")
        )
        raise DomainError(message % {"name": step.name})
    mine, theirs = step.order, neighbour.order
    # One order is parked past the end for a moment: (program, order) is unique.
    every_step = PipelineStep.objects.filter(program_id=step.program_id)  # retired ones too
    parked = (every_step.aggregate(last=Max("order"))["last"] or 0) + 1
    PipelineStep.objects.filter(pk=step.pk).update(order=parked)
    PipelineStep.objects.filter(pk=neighbour.pk).update(order=mine)
    PipelineStep.objects.filter(pk=step.pk).update(order=theirs)
    step.order = theirs
    record_event(
        actor=by,
        action="programs.pipeline_step.moved",
        target=step,
        data={"direction": direction, "from": mine, "to": theirs},
    )
    hooks.pipeline_changed(step.program_id)
    return step


@transaction.atomic
def retire_pipeline_step(*, step: PipelineStep, by: User) -> str:
    """Take a step out of the pipeline; returns what became of it.

    A step nobody has a record of is removed. One with records is retired, never deleted: it
    no longer counts for readiness or the board, and supporters' records of it keep their
    meaning.
    """
    step = PipelineStep.objects.select_for_update().get(pk=step.pk)
    if step.retired_at is not None:
        raise DomainError(_("“%(name)s” is already retired.") % {"name": step.name})
    hooks.pipeline_changed(step.program_id)
    if step.records.exists():
        step.retired_at = timezone.now()
        step.save(update_fields=["retired_at"])
        record_event(actor=by, action="programs.pipeline_step.retired", target=step)
        return _("“%(name)s” is retired. Supporters' records of it are kept.") % {"name": step.name}
    record_event(
        actor=by,
        action="programs.pipeline_step.removed",
        target=step,
        data={"name": step.name, "kind": step.kind, "order": step.order},
    )
    step.delete()
    return _("“%(name)s” is removed.") % {"name": step.name}


# ---- Trainings ------------------------------------------------------------------------------


def _check_module(module: TrainingModule) -> None:
    others = TrainingModule.objects.filter(program_id=module.program_id).exclude(pk=module.pk)
    if others.filter(name__iexact=module.name).exists():
        raise DomainError(
            _("The program already has a training called “%(name)s”.") % {"name": module.name}
        )
    if not module.competency_areas:
        raise DomainError(_("Choose at least one competency area the training covers."))
    _full_clean(module)


@transaction.atomic
def add_training_module(
    *,
    program: Program,
    by: User,
    name: str,
    competency_areas: list[CompetencyArea | str],
    validity_months: int | None,
    is_required: bool,
    translations: Texts | None = None,
) -> TrainingModule:
    """Add a training the program's supporters take, named in the program's languages."""
    Program.objects.select_for_update().get(pk=program.pk)
    module = TrainingModule(
        program=program,
        name=_clean_name(name),
        competency_areas=[str(area) for area in competency_areas],
        validity_months=validity_months,
        is_required=is_required,
    )
    module.translations = checked_translations(module, translations or {})
    _check_module(module)
    module.save()
    record_event(actor=by, action="programs.training_module.added", target=module)
    hooks.pipeline_changed(module.program_id)
    return module


@transaction.atomic
def change_training_module(
    *,
    module: TrainingModule,
    by: User,
    name: str,
    competency_areas: list[CompetencyArea | str],
    validity_months: int | None,
    is_required: bool,
    translations: Texts | None = None,
) -> TrainingModule:
    """Change a training. A new validity applies to trainings recorded from now on."""
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    changes = {
        "name": _clean_name(name),
        "competency_areas": [str(area) for area in competency_areas],
        "validity_months": validity_months,
        "is_required": is_required,
        "translations": checked_translations(module, translations or {}),
    }
    update_and_audit(
        instance=module,
        changes=changes,
        actor=by,
        action="programs.training_module.changed",
        check=lambda _changed: _check_module(module),
    )
    hooks.pipeline_changed(module.program_id)
    return module


@transaction.atomic
def retire_training_module(*, module: TrainingModule, by: User) -> str:
    """Take a training out of what supporters need; returns what became of it.

    A training nobody has completed is removed; one with records is retired: it no longer
    counts, and supporters' records of it are kept.
    """
    module = TrainingModule.objects.select_for_update().get(pk=module.pk)
    if module.retired_at is not None:
        raise DomainError(_("“%(name)s” is already retired.") % {"name": module.name})
    hooks.pipeline_changed(module.program_id)
    if module.records.exists():
        module.retired_at = timezone.now()
        module.save(update_fields=["retired_at"])
        record_event(actor=by, action="programs.training_module.retired", target=module)
        return _("“%(name)s” is retired. Supporters' records of it are kept.") % {
            "name": module.name
        }
    record_event(
        actor=by,
        action="programs.training_module.removed",
        target=module,
        data={"name": module.name},
    )
    module.delete()
    return _("“%(name)s” is removed.") % {"name": module.name}
