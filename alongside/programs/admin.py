from django.contrib import admin

from alongside.core.audit import record_event
from alongside.programs.models import Experience, Program, Site


class SiteInline(admin.TabularInline[Site, Program]):
    model = Site
    extra = 0


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin[Program]):
    list_display = ["name", "slug", "country", "subdivision", "sla_business_days", "is_active"]
    list_filter = ["is_active", "country"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["experiences"]
    inlines = [SiteInline]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        record_event(
            actor=request.user,
            action="programs.program.changed" if change else "programs.program.created",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )


@admin.register(Experience)
class ExperienceAdmin(admin.ModelAdmin[Experience]):
    list_display = ["name", "slug", "category", "allied_to", "is_active"]
    list_filter = ["category", "is_active"]
    search_fields = ["name", "slug"]
