"""Pipeline configuration per program, shown only: the program's settings pages edit steps and
training modules through programs.services, which hold their rules (a step's kind) and audit."""

from django.contrib import admin

from alongside.core.admin import ReadOnlyAdmin
from alongside.supporters.models import PipelineStep, TrainingModule


@admin.register(PipelineStep)
class PipelineStepAdmin(ReadOnlyAdmin):
    list_display = ["program", "order", "name", "kind", "is_required"]
    list_filter = ["program", "kind"]
    ordering = ["program", "order"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdmin):
    list_display = ["program", "name", "validity_months", "is_required"]
    list_filter = ["program"]
