"""Pipeline configuration per program: steps and training modules, edited by administrators."""

from django.contrib import admin

from alongside.supporters.models import PipelineStep, TrainingModule


@admin.register(PipelineStep)
class PipelineStepAdmin(admin.ModelAdmin[PipelineStep]):
    list_display = ["program", "order", "name", "kind", "is_required"]
    list_filter = ["program", "kind"]
    ordering = ["program", "order"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin[TrainingModule]):
    list_display = ["program", "name", "validity_months", "is_required"]
    list_filter = ["program"]
