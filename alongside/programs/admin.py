from django.contrib import admin

from alongside.core.admin import AuditedAdmin, ReadOnlyAdmin
from alongside.programs.models import Experience, PipelineStep, Program, Site, TrainingModule


class SiteInline(admin.TabularInline[Site, Program]):
    model = Site
    extra = 0


@admin.register(Program)
class ProgramAdmin(AuditedAdmin):
    """Programs are created and renamed here; each save (and its sites') is audited."""

    list_display = ["name", "slug", "country", "subdivision", "sla_business_days", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["experiences"]
    inlines = [SiteInline]


@admin.register(Experience)
class ExperienceAdmin(AuditedAdmin):
    list_display = ["name", "slug", "category", "allied_to", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "slug"]


# Pipeline configuration per program, shown only: the program's settings pages edit steps and
# training modules through programs.services, which hold their rules (a step's kind) and audit.
@admin.register(PipelineStep)
class PipelineStepAdmin(ReadOnlyAdmin):
    list_display = ["program", "order", "name", "kind", "is_required"]
    list_filter = ["program", "kind"]
    ordering = ["program", "order"]


@admin.register(TrainingModule)
class TrainingModuleAdmin(ReadOnlyAdmin):
    list_display = ["program", "name", "validity_months", "is_required"]
    list_filter = ["program"]
