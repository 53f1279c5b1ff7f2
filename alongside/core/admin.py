from django.contrib import admin
from django.http import HttpRequest

from alongside.core.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    """The audit trail, read-only: nobody edits or deletes history."""

    list_display = ["occurred_at", "action", "actor", "target_type", "target_id", "program"]
    list_filter = ["action", "program"]
    search_fields = ["action", "target_id"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
