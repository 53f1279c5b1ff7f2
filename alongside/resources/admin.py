from django.contrib import admin

from alongside.core.admin import ReadOnlyAdmin
from alongside.resources.models import Resource


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    """Shown only: the directory's pages save resources through resources.services."""

    list_display = ["name", "program", "category", "region", "last_reviewed_on", "is_active"]
    list_filter = ["program", "category", "is_active"]
    search_fields = ["name", "offers"]
