from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """Who did or saw what, to which record, when and from where. Never updated; deleted only
    once past its program's retention (privacy)."""

    occurred_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100, db_index=True)
    target_type = models.CharField(_("record type"), max_length=100)
    target_id = models.CharField(_("record"), max_length=64, blank=True)
    program = models.ForeignKey(
        "programs.Program",
        verbose_name=_("program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("from"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return (
            f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
        )


class FieldKeyCheck(models.Model):
    """One row: a known value encrypted with the field key in use.

    Written after the first migrate and again by `rotate_field_keys`; the system check
    alongside.E008 refuses to start when no configured key opens it, before anything is
    written with a wrong key (see core/field_keys.py).
    """

    token = models.TextField(_("key-check value"))
    written_at = models.DateTimeField(_("written at"))

    class Meta:
        verbose_name = _("field key check")
        verbose_name_plural = _("field key checks")

    def __str__(self) -> str:
        return f"field key check of {self.written_at:%Y-%m-%d %H:%M}"
