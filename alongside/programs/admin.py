from django.contrib import admin

from alongside.core.admin import AuditedAdmin
from alongside.programs.models import Experience, Program, Site


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
