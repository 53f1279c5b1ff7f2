"""The admin is a window, not a side door: each admin class either only shows (ReadOnlyAdmin) or
saves through the audit (AuditedAdmin), or calls its app's services in save_model.

AuditedAdmin is for installation-wide configuration that has no page of its own (programs, the
experience taxonomy, survey instruments): the model's clean() is its rule, run by the admin's
form, and every save and delete writes an audit event "<app>.<model>.<verb>".
"""

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from alongside.core.audit import record_event
from alongside.core.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Changes go through the services (and their audit) on the pages; the admin only shows."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def audit_admin_change(
    request: HttpRequest, instance: models.Model, verb: str, fields: list[str]
) -> None:
    """Records an admin save or delete as "<app>.<model>.<verb>", naming the changed fields."""
    meta = instance._meta
    record_event(
        actor=request.user,
        action=f"{meta.app_label}.{meta.model_name}.{verb}",
        target=instance,
        data={"fields": sorted(fields), "through": "admin"},
    )


class AuditedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Saves configuration that only the admin edits, with its audit event (and its inlines')."""

    @transaction.atomic
    def save_model(
        self, request: HttpRequest, obj: Any, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        audit_admin_change(request, obj, "changed" if change else "created", form.changed_data)

    @transaction.atomic
    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_admin_change(request, obj, "deleted", [])
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)

    @transaction.atomic
    def save_formset(
        self,
        request: HttpRequest,
        form: Any,
        formset: BaseInlineFormSet[Any, Any, Any],
        change: bool,
    ) -> None:
        for deleted in formset.deleted_forms:
            if deleted.instance.pk is not None:
                audit_admin_change(request, deleted.instance, "deleted", [])
        super().save_formset(request, form, formset, change)
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            verb = "created" if inline_form in formset.extra_forms else "changed"
            audit_admin_change(request, inline_form.instance, verb, inline_form.changed_data)


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit trail, read-only: nobody edits or deletes history."""

    list_display = ["occurred_at", "action", "actor", "target_type", "target_id", "program"]
    list_filter = ["action", "program"]
    search_fields = ["action", "target_id"]
    date_hierarchy = "occurred_at"
