"""The steps between application and ready: step records, checks and trainings."""

from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.fields import EncryptedTextField
from alongside.programs.models import ChoiceListValidator, Program
from alongside.supporters.models.profile import Supporter


class StepKind(models.TextChoices):
    SCREENING_CALL = "screening_call", _("Screening call")
    INTERVIEW = "interview", _("Interview")
    REFERENCES = "references", _("References")
    BACKGROUND_CHECK = "background_check", _("Background check")
    TRAINING = "training", _("Training")
    AGREEMENT = "agreement", _("Agreement signed")


class RetirableQuerySet[Row: models.Model](models.QuerySet[Row]):
    def current(self) -> Self:
        """Not retired: what supporters need, and what coordinators record, from now on."""
        return self.filter(retired_at__isnull=True)


class PipelineStep(models.Model):
    """One stage between application and ready, configured per program.

    A background-check step is met by a current cleared check and a training step by current
    records of every required module; the other steps by a passed step record.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="pipeline_steps")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=StepKind.choices)
    order = models.PositiveSmallIntegerField(_("order"))
    is_required = models.BooleanField(_("required before matching"), default=True)
    retired_at = models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        help_text=_("A retired step no longer counts; supporters' records of it are kept."),
    )

    objects = RetirableQuerySet["PipelineStep"].as_manager()

    class Meta:
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="pipeline_step_order_unique")
        ]

    def __str__(self) -> str:
        return self.name


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
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("background check")
        verbose_name_plural = _("background checks")
        ordering = ["recorded_at", "pk"]
        # pause_on_expiry and remind_before_expiry: a supporter's checks by when they expire.
        indexes = [models.Index(fields=["supporter", "expires_on"], name="check_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.get_status_display()}"


class CompetencyArea(models.TextChoices):
    COMMUNICATION = "communication", _("Communication")
    BOUNDARIES = "boundaries", _("Boundaries")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    CRISIS_RESPONSE = "crisis_response", _("Crisis response")
    TRAUMA_INFORMED = "trauma_informed", _("Trauma-informed care")
    MOTIVATIONAL_INTERVIEWING = "motivational_interviewing", _("Motivational interviewing")
    STRENGTHS_BASED = "strengths_based", _("Strengths-based practice")


class TrainingModule(models.Model):
    """A training a program's supporters take, how long it stays valid, what it covers."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="training_modules")
    name = models.CharField(_("name"), max_length=150)
    competency_areas = models.JSONField(
        _("competency areas"),
        default=list,
        validators=[ChoiceListValidator("alongside.supporters.models.CompetencyArea")],
    )
    validity_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Leave empty when it never needs renewing."),
    )
    is_required = models.BooleanField(_("required before matching"), default=True)
    retired_at = models.DateTimeField(
        _("retired"),
        null=True,
        blank=True,
        help_text=_("A retired training no longer counts; supporters' records of it are kept."),
    )

    objects = RetirableQuerySet["TrainingModule"].as_manager()

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="training_module_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class TrainingRecord(models.Model):
    """A supporter completed a training module on a day; it is current until it expires."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="training_records"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["completed_on", "pk"]
        # pause_on_expiry and remind_before_expiry: a supporter's trainings by when they expire.
        indexes = [models.Index(fields=["supporter", "expires_on"], name="training_expiry_idx")]

    def __str__(self) -> str:
        return f"{self.module} — {self.completed_on}"
