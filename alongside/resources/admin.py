from django.contrib import admin

from alongside.resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "program", "category", "region", "last_reviewed_on", "is_active"]
    list_filter = ["program", "category", "is_active"]
    search_fields = ["name", "offers"]
