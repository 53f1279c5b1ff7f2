import datetime as dt
import zoneinfo
from typing import Any

import holidays
import pydantic
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from alongside.core.calendar import BusinessCalendar
from alongside.programs.configuration import crisis_questions_adapter, eligibility_rules_adapter
from alongside.programs.content import TranslatedContent, installation_language

DEMOGRAPHICS = "alongside.programs.models.reporting.ReportedDemographic"


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    EMAIL = "email", _("E-mail")
    TEXT = "text", _("Text message")
    IN_PERSON = "in_person", _("In person")


class Relationship(models.TextChoices):
    SELF = "self", _("I live with it myself")
    FAMILY = "family", _("Family member or caregiver")
    COLLEAGUE = "colleague", _("Colleague (it is part of my work)")


class Gender(models.TextChoices):
    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")
    OTHER = "other", _("Another identity")
    UNSAID = "", _("Prefer not to say")


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    SPANISH = "es", _("Spanish")
    PORTUGUESE = "pt", _("Portuguese")
    CHINESE = "zh", _("Chinese")
    PUNJABI = "pa", _("Punjabi")
    ARABIC = "ar", _("Arabic")
    HAITIAN_CREOLE = "ht", _("Haitian Creole")
    TAGALOG = "tl", _("Tagalog")


class ExperienceCategory(models.TextChoices):
    HEALTH_CONDITION = "health_condition", _("Health condition")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    HEALTH_CARE_WORK = "health_care_work", _("Working in health care")
    LOSS = "loss", _("Grief and loss")
    OTHER = "other", _("Other life experience")


class Experience(TranslatedContent):
    """Something lived through. Shared across programs; each program picks the ones it serves.

    Its name is written in the installation's language, with the others beside it; a program
    shows it in the reader's language, else in the program's main language (ADR 0004).
    """

    translated_fields = ("name",)

    slug = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    category = models.CharField(_("category"), max_length=30, choices=ExperienceCategory.choices)
    allied_to = models.ForeignKey(
        "self",
        verbose_name=_("allied to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="allied",
        help_text=_("For an allied condition, the experience it is counted with (MS)."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("experience")
        verbose_name_plural = _("experiences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def family_slug(self) -> str:
        """The experience this one is counted with: itself, or what it is allied to."""
        return self.allied_to.slug if self.allied_to_id and self.allied_to else self.slug


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not a time zone we know."), params={"zone": value})


@deconstructible
class ChoiceListValidator:
    """A JSON list of at least one value, each among the given choices."""

    def __init__(self, choices_path: str, *, allow_empty: bool = False) -> None:
        self.choices_path = choices_path
        self.allow_empty = allow_empty

    def __call__(self, value: Any) -> None:
        choices: type[models.TextChoices] = import_string(self.choices_path)
        if not isinstance(value, list):
            raise ValidationError(_("Choose from the list."))
        if not value and not self.allow_empty:
            raise ValidationError(_("Choose at least one."))
        unknown = [str(item) for item in value if item not in choices.values]
        if unknown:
            raise ValidationError(
                _("These are not among the choices: %(values)s."),
                params={"values": ", ".join(unknown)},
            )

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, ChoiceListValidator)
            and other.choices_path == self.choices_path
            and other.allow_empty == self.allow_empty
        )

    def __hash__(self) -> int:
        return hash((self.choices_path, self.allow_empty))


@deconstructible
class MonthListValidator:
    """A list of distinct whole months between 1 and 60, in order."""

    def __call__(self, value: Any) -> None:
        if not isinstance(value, list) or not all(
            isinstance(month, int) and 1 <= month <= 60 for month in value
        ):
            raise ValidationError(_("Give whole months between 1 and 60, for example 1, 3, 6."))
        if value != sorted(set(value)):
            raise ValidationError(_("List each month once, from the earliest to the latest."))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MonthListValidator)

    def __hash__(self) -> int:
        return hash(MonthListValidator)


class Program(TranslatedContent):
    """One peer support offering with its own rules, configured by its coordinators.

    Its texts are in its first language, with the others in `translations` (ADR 0004).
    """

    translated_fields = ("name", "description", "crisis_message")

    slug = models.SlugField(_("web address name"), unique=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("public description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    accepts_public_requests = models.BooleanField(
        _("accepts requests from the public"), default=True
    )
    accepts_referrals = models.BooleanField(
        _("accepts referrals from clinical staff"), default=False
    )
    accepts_phone_requests = models.BooleanField(
        _("accepts requests by phone"),
        default=True,
        help_text=_("A coordinator takes the request during the call and enters it."),
    )
    recruits_supporters = models.BooleanField(
        _("recruits peer supporters"),
        default=True,
        help_text=_(
            "Shows “Volunteer with us” on the public home page and opens the application form."
        ),
    )
    asks_work_role = models.BooleanField(
        _("asks for the person's role at work"),
        default=False,
        help_text=_("For networks of health-care workers, who are matched by similar role."),
    )
    is_employer_blind = models.BooleanField(
        _("hide each request from the person's own workplace"),
        default=False,
        help_text=_("Only the central team sees a request from someone at a team member's site."),
    )
    experiences = models.ManyToManyField(
        Experience, verbose_name=_("experiences served"), related_name="programs", blank=True
    )

    # Where and when: the promise of time to match counts this region's business days.
    country = models.CharField(_("country"), max_length=2, default="CA")
    subdivision = models.CharField(
        _("province or state"), max_length=10, blank=True, help_text=_("For example ON, BC, MA.")
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Toronto", validators=[validate_time_zone]
    )
    business_day_ends_at = models.TimeField(_("business day ends at"), default=dt.time(17, 0))
    sla_business_days = models.PositiveSmallIntegerField(
        _("days to match (business days)"),
        default=2,
        validators=[MaxValueValidator(30)],
        help_text=_("We promise to contact each person within this many business days."),
    )

    languages = models.JSONField(
        _("languages offered"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.Language")],
    )
    contact_methods = models.JSONField(
        _("contact methods offered"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.ContactMethod")],
    )
    eligibility_rules = models.JSONField(_("supporter eligibility rules"), default=list, blank=True)

    match_length_weeks = models.PositiveSmallIntegerField(
        _("planned match length (weeks)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(260)],
        help_text=_("Leave empty when matches end when their goals are met."),
    )
    supporter_commitment_months = models.PositiveSmallIntegerField(
        _("supporter commitment (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    expected_hours_min = models.DecimalField(
        _("expected hours a month, from"), max_digits=5, decimal_places=1, default=2
    )
    expected_hours_max = models.DecimalField(
        _("expected hours a month, to"), max_digits=5, decimal_places=1, default=4
    )

    # Keeping supporters ready (supporters issue).
    expiry_reminder_days = models.PositiveSmallIntegerField(
        _("remind before expiry (days)"),
        default=30,
        validators=[MaxValueValidator(365)],
        help_text=_("How long before a training or check expires the supporter is reminded."),
    )
    # The life of a match (matches issue).
    is_goal_based = models.BooleanField(
        _("matches work toward goals"),
        default=False,
        help_text=_("Goals are agreed at the start; the match can close when they are met."),
    )
    checkin_months = models.JSONField(
        _("check-ins at (months)"),
        default=list,
        blank=True,
        validators=[MonthListValidator()],
        help_text=_("Planned check-ins with both sides, for example 1, 3 and 6 months."),
    )
    no_contact_nudge_days = models.PositiveSmallIntegerField(
        _("nudge the supporter after (days without contact)"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    no_contact_escalate_days = models.PositiveSmallIntegerField(
        _("then tell the coordinator after (more days)"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    # Safety (safety issue).
    acknowledge_within_minutes = models.PositiveSmallIntegerField(
        _("urgent escalations must be acknowledged within (minutes)"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
    )
    crisis_questions = models.JSONField(
        _("crisis screening questions"),
        default=list,
        blank=True,
        help_text=_(
            "Asked on the request form; an answer that signals crisis shows the crisis lines."
        ),
    )

    # Funder reports (insight issue): a count below this is shown as "fewer than N".
    report_minimum_count = models.PositiveSmallIntegerField(
        _("smallest count shown in reports"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    reported_demographics = models.JSONField(
        _("demographics reported"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator(DEMOGRAPHICS, allow_empty=True)],
    )

    contact_email = models.EmailField(_("program e-mail"), blank=True)
    contact_phone = models.CharField(_("program phone"), max_length=40, blank=True)
    crisis_message = models.TextField(
        _("crisis lines"),
        blank=True,
        help_text=_("Shown on the request form: where to turn right now in a crisis."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_hours_min__lte=models.F("expected_hours_max")),
                name="program_hours_band_ordered",
            ),
            models.CheckConstraint(
                condition=Q(expected_hours_min__gte=0), name="program_hours_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        supported = holidays.list_supported_countries()
        if self.country not in supported:
            errors["country"] = [str(_("We have no holiday calendar for this country."))]
        elif self.subdivision and self.subdivision not in supported[self.country]:
            errors["subdivision"] = [
                str(
                    _("“%(code)s” is not a province or state of this country.")
                    % {"code": self.subdivision}
                )
            ]
        if self.expected_hours_min > self.expected_hours_max:
            errors["expected_hours_max"] = [
                str(_("The upper end of the hours band must not be below the lower end."))
            ]
        for field_name, adapter, label in (
            ("eligibility_rules", eligibility_rules_adapter, _("Rule")),
            ("crisis_questions", crisis_questions_adapter, _("Question")),
        ):
            try:
                adapter.validate_python(getattr(self, field_name))
            except pydantic.ValidationError as error:
                first = error.errors()[0]
                where = " > ".join(str(part) for part in first["loc"])
                errors[field_name] = [
                    str(_("%(label)s %(where)s: %(problem)s"))
                    % {"label": label, "where": where, "problem": first["msg"]}
                ]
        if errors:
            raise ValidationError(errors)

    def content_languages(self) -> list[str]:
        return [str(code) for code in self.languages or []] or [installation_language()]

    @property
    def calendar(self) -> BusinessCalendar:
        return BusinessCalendar(
            country=self.country,
            subdivision=self.subdivision,
            time_zone=self.time_zone,
            day_ends_at=self.business_day_ends_at,
        )


class SiteKind(models.TextChoices):
    FACILITY = "facility", _("Facility")
    CLINIC = "clinic", _("Clinic or team")
    REGION = "region", _("Region")


class Site(models.Model):
    """A place or team inside a program: a hospital, a community mental-health team, a region."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sites")
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=SiteKind.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["program", "name"], name="site_unique_name")]

    def __str__(self) -> str:
        return self.name
