"""A program's webhook endpoints, and which endpoint each webhook message of the outbox is for.

Models of the notifications app (imported by `notifications/models.py`), kept beside the code
that uses them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.fields import EncryptedCharField


class WebhookEndpoint(models.Model):
    """An address of a partner's system that is told of the program's events it chose.

    The secret signs every delivery (Standard Webhooks); after a rotation the previous one
    still signs beside it until `previous_secret_expires_at`, so the partner can switch over.
    """

    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        on_delete=models.CASCADE,
        related_name="webhook_endpoints",
    )
    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("address (URL)"), max_length=500)
    # The events' codes ("matches.match.started"); a code no app declares any more is ignored.
    events = models.JSONField(_("events"), default=list)
    is_active = models.BooleanField(_("active"), default=True)
    secret = EncryptedCharField(_("signing secret"))
    previous_secret = EncryptedCharField(_("previous signing secret"), blank=True)
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True
    )
    # Counts rotations: a rotation names the one it replaces, so a double click rotates once.
    secret_version = models.PositiveIntegerField(_("secret version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """The endpoint a webhook message of the outbox goes to, and the event it tells of."""

    message = models.OneToOneField(
        "notifications.OutboxMessage",
        verbose_name=_("outbox message"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="webhook_delivery",
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint,
        verbose_name=_("endpoint"),
        on_delete=models.CASCADE,
        related_name="deliveries",
    )
    # "evt_" and 32 hex digits: the body's id and the webhook-id header, on every attempt.
    event_id = models.CharField(_("event id"), max_length=40)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")

    def __str__(self) -> str:
        return f"{self.endpoint} #{self.message_id}"
