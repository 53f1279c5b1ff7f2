from http import HTTPStatus
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from alongside.core.admin import ReadOnlyAdmin
from alongside.core.audit import record_event
from alongside.notifications import services
from alongside.notifications.models import MessageStatus, MessageTemplate, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: messages change only through services. Lists never show address or text."""

    list_display = ["id", "channel", "status", "attempts", "next_attempt_at", "created_at"]
    list_filter = ["status", "channel"]
    date_hierarchy = "created_at"
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        # The form is read-only, but sending again is a change: it needs the change permission.
        return request.user.has_perm("notifications.change_outboxmessage")

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """Shows the address and text, so each opening is audited as a read."""
        response = super().change_view(request, object_id, form_url, extra_context)
        message = self.get_object(request, object_id)
        if message is not None and response.status_code == HTTPStatus.OK:
            record_event(actor=request.user, action="notifications.message.viewed", target=message)
        return response

    @admin.action(description=_("Retry the selected failed messages"), permissions=["retry"])
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        retriable = queryset.filter(status__in=[MessageStatus.FAILED, MessageStatus.DEAD])
        count = 0
        for message in retriable:
            try:
                services.retry_message(message=message, actor=request.user)  # type: ignore[arg-type]
            except services.NotificationError:
                continue
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d message will be sent again.",
                "%(count)d messages will be sent again.",
                count,
            )
            % {"count": count},
            messages.SUCCESS if count else messages.WARNING,
        )


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ReadOnlyAdmin):
    """Programs' own wording for their messages, per language: shown only. Coordinators change
    it on their program's wording pages, administrators for every program on theirs, where it
    is checked, previewed and audited (notifications.wording.services)."""

    list_display = ["key", "language", "program", "updated_at"]
    list_filter = ["language", "program"]
    search_fields = ["key", "subject"]
