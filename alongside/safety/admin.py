from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from alongside.safety.models import Escalation, OnCallShift, SlaAlert


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Changes go through the services (and their audit); the admin only shows."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    """Lists never show what happened; it is read on the escalation's page in the app."""

    list_display = ["id", "program", "urgency", "status", "assigned_to", "created_at"]
    list_filter = ["status", "urgency", "program"]
    exclude = ["what_happened", "outcome"]


@admin.register(OnCallShift)
class OnCallShiftAdmin(ReadOnlyAdmin):
    list_display = ["program", "user", "order", "starts_at", "ends_at"]
    list_filter = ["program", "order"]


@admin.register(SlaAlert)
class SlaAlertAdmin(ReadOnlyAdmin):
    list_display = ["support_request", "program", "kind", "due_at", "recorded_at"]
    list_filter = ["kind", "program"]
