"""What a program asks of its supporters before matching: its pipeline steps and trainings.

They live with the program because its settings pages own their rules; supporters' records of
them (step records, training records) live in supporters. The tables keep their first names.
"""

from typing import Self

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.programs.content import TranslatedContent
from alongside.programs.models.program import ChoiceListValidator, Program


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


class PipelineStep(TranslatedContent):
    """One stage between application and ready, configured per program.

    A background-check step is met by a current cleared check and a training step by current
    records of every required module; the other steps by a passed step record.
    """

    translated_fields = ("name",)

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
        db_table = "supporters_pipelinestep"
        ordering = ["program", "order"]
        constraints = [
            models.UniqueConstraint(fields=["program", "order"], name="pipeline_step_order_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def content_languages(self) -> list[str]:
        return self.program.content_languages()


class CompetencyArea(models.TextChoices):
    COMMUNICATION = "communication", _("Communication")
    BOUNDARIES = "boundaries", _("Boundaries")
    CONFIDENTIALITY = "confidentiality", _("Confidentiality")
    CRISIS_RESPONSE = "crisis_response", _("Crisis response")
    TRAUMA_INFORMED = "trauma_informed", _("Trauma-informed care")
    MOTIVATIONAL_INTERVIEWING = "motivational_interviewing", _("Motivational interviewing")
    STRENGTHS_BASED = "strengths_based", _("Strengths-based practice")


class TrainingModule(TranslatedContent):
    """A training a program's supporters take, how long it stays valid, what it covers."""

    translated_fields = ("name",)

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="training_modules")
    name = models.CharField(_("name"), max_length=150)
    competency_areas = models.JSONField(
        _("competency areas"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.CompetencyArea")],
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
        db_table = "supporters_trainingmodule"
        ordering = ["program", "name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="training_module_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def content_languages(self) -> list[str]:
        return self.program.content_languages()
