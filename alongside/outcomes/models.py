import secrets
from typing import Self

import pydantic
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.outcomes.scoring import InstrumentShape, Item, ScoringRule
from alongside.programs.content import TranslatedContent
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for


class Measures(models.TextChoices):
    LONELINESS = "loneliness", _("Loneliness")
    WELLBEING = "wellbeing", _("Wellbeing")
    HOPE = "hope", _("Hope and coping")
    SATISFACTION = "satisfaction", _("Satisfaction with support")


class Instrument(TranslatedContent):
    """A short questionnaire with its items and scoring rules, kept as data.

    Shipped in the installation's language; its other languages' name, introduction, items'
    texts and answers' labels are in `translations` (ADR 0004).
    """

    translated_fields = ("name", "introduction")

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    measures = models.CharField(_("measures"), max_length=20, choices=Measures.choices)
    introduction = models.TextField(_("introduction"), blank=True)
    items = models.JSONField(_("items"))
    scoring = models.JSONField(_("scoring rules"))

    class Meta:
        verbose_name = _("outcome instrument")
        verbose_name_plural = _("outcome instruments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        try:
            InstrumentShape.model_validate({"items": self.items, "scoring": self.scoring})
        except pydantic.ValidationError as error:
            first = error.errors()[0]
            where = " > ".join(str(part) for part in first["loc"])
            raise ValidationError({"items": f"{where}: {first['msg']}"}) from error

    @property
    def shape(self) -> InstrumentShape:
        return InstrumentShape.model_validate({"items": self.items, "scoring": self.scoring})

    @property
    def item_list(self) -> list[Item]:
        return self.shape.items

    @property
    def rule(self) -> ScoringRule:
        return self.shape.scoring

    @property
    def score_range(self) -> tuple[int, int]:
        items = self.item_list
        low = sum(min(choice.value for choice in item.choices) for item in items)
        high = sum(max(choice.value for choice in item.choices) for item in items)
        if self.rule.method == "mean":
            return (low // len(items), high // len(items))
        return (low, high)


class ProgramInstrument(models.Model):
    """An instrument a program has chosen, and when it is sent."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="program_instruments"
    )
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="+")
    at_start = models.BooleanField(_("at the start"), default=True)
    at_milestones = models.BooleanField(_("at milestone check-ins"), default=False)
    at_closure = models.BooleanField(_("at closure"), default=True)

    class Meta:
        verbose_name = _("program instrument")
        verbose_name_plural = _("program instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "instrument"], name="program_instrument_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.program} — {self.instrument}"


class Occasion(models.TextChoices):
    START = "start", _("Start")
    MILESTONE = "milestone", _("Milestone")
    CLOSURE = "closure", _("Closure")


def new_token() -> str:
    return secrets.token_urlsafe(32)


class SurveyQuerySet(models.QuerySet["Survey"]):
    def visible_to(self, user: User) -> Self:
        return self.filter(program_id__in=program_ids_for(user, STAFF_ROLES))


class Survey(models.Model):
    """One instrument sent to the person on one occasion, answered once through its link."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="surveys")
    match = models.ForeignKey("matches.Match", on_delete=models.CASCADE, related_name="surveys")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="surveys")
    occasion = models.CharField(_("when"), max_length=20, choices=Occasion.choices)
    # The milestone's month; 0 for the start and closure.
    month = models.PositiveSmallIntegerField(_("month"), default=0)
    # Random, unguessable, and no personal data: it only opens this one questionnaire.
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    sent_at = models.DateTimeField(_("sent"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["sent_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "instrument", "occasion", "month"],
                name="survey_once_per_occasion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.instrument} ({self.get_occasion_display()})"

    @property
    def is_answered(self) -> bool:
        return self.answered_at is not None
