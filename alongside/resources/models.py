from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.programs.content import TranslatedContent
from alongside.programs.models import ChoiceListValidator, Language, Program
from alongside.programs.queries import program_ids_for


class ResourceCategory(models.TextChoices):
    MENTAL_HEALTH = "mental_health", _("Mental health")
    HEALTH = "health", _("Health care")
    CRISIS = "crisis", _("Crisis lines")
    FINANCIAL = "financial", _("Money and benefits")
    HOUSING = "housing", _("Housing")
    FOOD = "food", _("Food")
    LEGAL = "legal", _("Legal help")
    SOCIAL = "social", _("Social and community")
    PROGRAM = "program", _("Program service")
    OTHER = "other", _("Other")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def visible_to(self, user: User) -> Self:
        """Everyone with a role in a program sees its directory."""
        return self.filter(
            program_id__in=program_ids_for(
                user, STAFF_ROLES | {Role.SUPERVISOR, Role.SUPPORTER, Role.REFERRER}
            )
        )


class Resource(TranslatedContent):
    """A community service or program offering that supporters can share, written in its
    program's languages (ADR 0004)."""

    translated_fields = ("name", "offers", "contact", "eligibility")

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(_("name"), max_length=200)
    offers = models.TextField(_("what it offers"))
    category = models.CharField(_("category"), max_length=30, choices=ResourceCategory.choices)
    region = models.CharField(_("region"), max_length=100, blank=True)
    languages = models.JSONField(
        _("languages"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator("alongside.programs.models.Language")],
    )
    contact = models.CharField(_("how to reach it"), max_length=300, blank=True)
    eligibility = models.TextField(_("who it is for"), blank=True)
    last_reviewed_on = models.DateField(_("last reviewed"), null=True, blank=True)
    is_active = models.BooleanField(_("listed"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["program", "name"], name="resource_unique_name")
        ]

    def __str__(self) -> str:
        return self.name

    def content_languages(self) -> list[str]:
        return self.program.content_languages()

    @property
    def language_names(self) -> str:
        """The languages it is offered in, by name ("English, French")."""
        names = dict(Language.choices)
        return ", ".join(str(names.get(code, code)) for code in self.languages or [])


class Referral(models.Model):
    """A resource shared with a person during a contact; counted by resource, program, region."""

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="referrals")
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="referrals")
    contact = models.ForeignKey(
        "matches.ContactLog", on_delete=models.CASCADE, related_name="referrals"
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared"))

    class Meta:
        verbose_name = _("referral to a resource")
        verbose_name_plural = _("referrals to resources")
        constraints = [
            models.UniqueConstraint(fields=["contact", "resource"], name="referral_once_a_contact"),
        ]
        indexes = [models.Index(fields=["program", "shared_at"])]

    def __str__(self) -> str:
        return f"{self.resource} {self.shared_at:%Y-%m-%d}"
