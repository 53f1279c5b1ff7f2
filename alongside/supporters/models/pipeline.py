"""The steps between application and ready: step records, checks and trainings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.fields import EncryptedTextField
from alongside.programs.models import PipelineStep, TrainingModule
from alongside.supporters.models.profile import Supporter


class StepOutcome(models.TextChoices):
    PASSED = "passed", _("Done")
    NOT_PASSED = "not_passed", _("Not passed")


class StepRecord(models.Model):
    """Who recorded a step for a supporter, when, with what outcome and notes."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="step_records")
    step = models.ForeignKey(PipelineStep, on_delete=models.PROTECT, related_name="records")
    outcome = models.CharField(_("outcome"), max_length=20, choices=StepOutcome.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("step record")
        verbose_name_plural = _("step records")
        ordering = ["recorded_at", "pk"]
        indexes = [
            # Each supporter's latest record of each step, read in order without a sort, and
            # its outcome from the index alone (supporters/ready.py: the readiness gate).
            models.Index(
                fields=["supporter", "step", "-recorded_at", "-id", "outcome"],
                name="step_record_latest_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} — {self.get_outcome_display()}"


class CheckKind(models.TextChoices):
    CRIMINAL_RECORD = "criminal_record", _("Criminal record check")
    VULNERABLE_SECTOR = "vulnerable_sector", _("Vulnerable sector check")


class CheckStatus(models.TextChoices):
    REQUESTED = "requested", _("Pending")
    CLEARED = "cleared", _("Cleared")
    NOT_CLEARED = "not_cleared", _("Not cleared")


class BackgroundCheck(models.Model):
    """A background check's status and dates only; the result's content is never stored."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="background_checks"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=CheckKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=CheckStatus.choices)
    requested_on = models.DateField(_("requested on"))
    cleared_on = models.DateField(_("cleared on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # The lead (days before it expires) of the reminder it had, none yet: null. A renewal is a
    # new record, so remind_before_expiry reads only the ones a reminder is due for.
    reminded_days_before = models.PositiveSmallIntegerField(
        _("reminded before it expires (days)"), null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")
        ordering = ["recorded_at", "pk"]
        # pause_on_expiry and remind_before_expiry: a supporter's checks by when they expire.
        indexes = [
            models.Index(fields=["supporter", "expires_on"], name="check_expiry_idx"),
            # remind_before_expiry: the checks expiring soon, by the reminder they had.
            models.Index(fields=["expires_on", "reminded_days_before"], name="check_reminder_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_status_display()}"


class TrainingRecord(models.Model):
    """A supporter completed a training module on a day; it is current until it expires."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="training_records"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    # As a check's: the lead of the reminder it had (null: none yet).
    reminded_days_before = models.PositiveSmallIntegerField(
        _("reminded before it expires (days)"), null=True, blank=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["completed_on", "pk"]
        # pause_on_expiry and remind_before_expiry: a supporter's trainings by when they expire.
        indexes = [
            models.Index(fields=["supporter", "expires_on"], name="training_expiry_idx"),
            # remind_before_expiry: the trainings expiring soon, by the reminder they had.
            models.Index(
                fields=["expires_on", "reminded_days_before"], name="training_reminder_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} — {self.completed_on}"
