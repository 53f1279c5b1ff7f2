"""Applications to become a supporter, kept with their eligibility result."""

from typing import Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.blind_index import BlindIndexField, Kind
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.core.repeats import FINGERPRINT_LENGTH
from alongside.programs.models import Experience, Program, Relationship
from alongside.programs.queries import program_ids_for
from alongside.supporters.models.profile import Supporter


class ApplicationOutcome(models.TextChoices):
    ELIGIBLE = "eligible", _("Eligible")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    OVERRIDDEN = "overridden", _("Accepted by a coordinator")


class ApplicationQuerySet(models.QuerySet["Application"]):
    def visible_to(self, user: User) -> Self:
        """Only the program's staff see applications."""
        return self.filter(program_id__in=program_ids_for(user, STAFF_ROLES))


class Application(models.Model):
    """A person's request to become a supporter, kept with its eligibility result and reasons."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="applications")
    supporter = models.OneToOneField(
        Supporter, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )
    submission_token = models.UUIDField(unique=True)
    first_name = EncryptedCharField(_("first name"))
    last_name = EncryptedCharField(_("last name"), blank=True)
    email = EncryptedCharField(_("e-mail"))
    phone = EncryptedCharField(_("phone"), blank=True)
    date_of_birth = EncryptedCharField(_("date of birth"), blank=True)
    # Keyed digests that let the encrypted fields be searched (ADR 0006); never shown.
    first_name_index = BlindIndexField(source="first_name", kind=Kind.WORDS)
    last_name_index = BlindIndexField(source="last_name", kind=Kind.WORDS)
    email_index = BlindIndexField(source="email", kind=Kind.EMAIL)
    phone_index = BlindIndexField(source="phone", kind=Kind.PHONE)
    experience = models.ForeignKey(
        Experience, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    experience_since = models.DateField(_("since"), null=True, blank=True)
    experience_details = EncryptedTextField(_("about their experience"), blank=True)
    work_role = models.CharField(_("role at work"), max_length=100, blank=True)
    # The language of the form they filled in: their messages, and their account's, follow it.
    language = models.CharField(_("language"), max_length=10, blank=True)
    self_assessed = models.BooleanField(_("confirmed the self-assessment"), default=False)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ApplicationOutcome.choices)
    reasons = models.JSONField(_("reasons not eligible"), default=list, blank=True)
    override_reason = models.TextField(_("why a coordinator accepted it"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    # The same answers sent again under a new token are this application (see core.repeats).
    answers_fingerprint = models.CharField(
        max_length=FINGERPRINT_LENGTH, blank=True, default="", editable=False
    )
    answers_window = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter application")
        verbose_name_plural = _("supporter applications")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["answers_fingerprint", "answers_window"],
                condition=~models.Q(answers_fingerprint=""),
                name="application_same_answers_once_per_window",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} · #{self.pk}"
