from django.contrib import admin

from alongside.core.admin import ReadOnlyAdmin
from alongside.safety.models import Escalation, OnCallShift, SlaAlert


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
