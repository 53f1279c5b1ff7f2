"""Escalations of urgent needs, the on-call rota that answers them, and SLA alerts."""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.notifications.models import Channel
from alongside.programs.queries import program_ids_for


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent: someone may be at risk now")
    BEYOND_ROLE = "beyond_role", _("Beyond my role: I need the coordinator's help")


class EscalationStatus(models.TextChoices):
    RAISED = "raised", _("Waiting to be acknowledged")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RESOLVED = "resolved", _("Resolved")


OPEN_ESCALATION_STATUSES = (EscalationStatus.RAISED, EscalationStatus.ACKNOWLEDGED)


class EscalationQuerySet(models.QuerySet["Escalation"]):
    def visible_to(self, user: User) -> Self:
        """Program staff see their programs' escalations; anyone else those they raised."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES)) | Q(raised_by_id=user.pk)
        )

    def open(self) -> Self:
        return self.filter(status__in=OPEN_ESCALATION_STATUSES)


class Escalation(models.Model):
    """An urgent need or a question beyond a supporter's role, until someone resolves it."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="escalations"
    )
    match = models.ForeignKey(
        "matches.Match",
        verbose_name=_("match"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    contact = models.ForeignKey(
        "matches.ContactLog",
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    support_request = models.ForeignKey(
        "intake.SupportRequest",
        verbose_name=_("support request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="escalations",
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    urgency = models.CharField(_("how urgent"), max_length=20, choices=Urgency.choices)
    what_happened = EncryptedTextField(_("what happened"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EscalationStatus.choices,
        default=EscalationStatus.RAISED,
    )
    # Who is being asked to take it now, and when it moves on if nobody acknowledges it.
    alert_step = models.PositiveIntegerField(_("rota step"), default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    next_alert_at = models.DateTimeField(_("moves on at"), null=True, blank=True, db_index=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acknowledged by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True, db_index=True)

    objects = EscalationQuerySet.as_manager()

    class Meta:
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["program", "status"]),
            # move_up_unacknowledged_escalations: raised, urgent, the next alert passed.
            models.Index(
                fields=["status", "urgency", "next_alert_at"], name="escalation_move_up_idx"
            ),
        ]

    def __str__(self) -> str:
        return str(_("Escalation #%(number)s") % {"number": self.pk})

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.URGENT


class EventKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    ALERTED = "alerted", _("Alerted")
    MOVED_ON = "moved_on", _("Not acknowledged in time; moved on")
    NOBODY_TO_ALERT = "nobody", _("Nobody to alert")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    NOTE = "note", _("Note")
    RESOLVED = "resolved", _("Resolved")


class EscalationEvent(models.Model):
    """One step on an escalation's timeline."""

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=EventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    channels = models.JSONField(_("channels"), default=list, blank=True)
    note = EncryptedTextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("escalation event")
        verbose_name_plural = _("escalation events")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.escalation} — {self.get_kind_display()}"

    @property
    def channel_labels(self) -> list[str]:
        return [str(Channel(code).label) for code in self.channels if code in Channel.values]


class ShiftOrder(models.IntegerChoices):
    PRIMARY = 1, _("On call")
    BACKUP = 2, _("Backup")


class OnCallShiftQuerySet(models.QuerySet["OnCallShift"]):
    def covering(self, moment: "object") -> Self:
        return self.filter(starts_at__lte=moment, ends_at__gt=moment)


class OnCallShift(models.Model):
    """Who answers urgent escalations for a program, from when to when."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="on_call_shifts"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.CASCADE,
        related_name="on_call_shifts",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    order = models.PositiveSmallIntegerField(
        _("role on the rota"), choices=ShiftOrder.choices, default=ShiftOrder.PRIMARY
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OnCallShiftQuerySet.as_manager()

    class Meta:
        verbose_name = _("on-call shift")
        verbose_name_plural = _("on-call shifts")
        ordering = ["starts_at", "order", "id"]
        indexes = [models.Index(fields=["program", "starts_at", "ends_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="on_call_shift_ends_after_start",
                violation_error_message=_("A shift must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_order_display()}"


class SafetyContact(models.Model):
    """How to reach a staff member urgently, beyond their e-mail: a mobile phone for SMS."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="safety_contact"
    )
    mobile_phone = EncryptedCharField(_("mobile phone for urgent texts"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("urgent contact details")
        verbose_name_plural = _("urgent contact details")

    def __str__(self) -> str:
        return str(self.user)


class SlaAlertKind(models.TextChoices):
    AT_RISK = "at_risk", _("Nearly due")
    BREACHED = "breached", _("Past due")


class SlaAlert(models.Model):
    """A request that neared or passed its promised time to match; one row of each kind at most."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="sla_alerts"
    )
    support_request = models.ForeignKey(
        "intake.SupportRequest", on_delete=models.CASCADE, related_name="sla_alerts"
    )
    kind = models.CharField(_("what"), max_length=20, choices=SlaAlertKind.choices)
    due_at = models.DateTimeField(_("was due by"))
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("time-to-match alert")
        verbose_name_plural = _("time-to-match alerts")
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["support_request", "kind"], name="sla_alert_once_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.support_request} — {self.get_kind_display()}"
