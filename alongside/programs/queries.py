"""Reads for the program settings pages."""

from dataclasses import dataclass

from django.db.models import Count, QuerySet

from alongside.accounts.models import STAFF_ROLES, User
from alongside.accounts.queries import program_ids_for
from alongside.programs.models import CompetencyArea, PipelineStep, Program, TrainingModule


def programs_staffed_by(user: User) -> QuerySet[Program]:
    """The programs the user coordinates or administers, by name: those whose settings,
    supporters, requests, sessions and rota they manage."""
    return Program.objects.filter(pk__in=program_ids_for(user, STAFF_ROLES)).order_by("name")


def pipeline_steps_of(program: Program) -> QuerySet[PipelineStep]:
    """The program's current steps in order, each with how many records supporters have of it."""
    return (
        PipelineStep.objects.current()
        .filter(program=program)
        .annotate(record_count=Count("records"))
        .order_by("order")
    )


@dataclass(frozen=True)
class TrainingRow:
    module: TrainingModule
    record_count: int
    covers: list[str]


def training_modules_of(program: Program) -> list[TrainingRow]:
    """The program's current trainings by name: how often completed, what each covers."""
    labels = dict(CompetencyArea.choices)
    return [
        TrainingRow(
            module=module,
            record_count=module.record_count,
            covers=[str(labels.get(area, area)) for area in module.competency_areas],
        )
        for module in TrainingModule.objects.current()
        .filter(program=program)
        .annotate(record_count=Count("records"))
        .order_by("name")
    ]


def retired_names(program: Program) -> dict[str, list[str]]:
    """The steps and trainings retired from the program, kept for supporters' records."""
    return {
        "steps": list(
            PipelineStep.objects.filter(program=program, retired_at__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
        ),
        "trainings": list(
            TrainingModule.objects.filter(program=program, retired_at__isnull=False)
            .order_by("name")
            .values_list("name", flat=True)
        ),
    }
