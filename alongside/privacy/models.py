"""Consent records: what a person agreed to, for which purpose, under which version of the
words, when and how, and its withdrawal."""

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.consent import GivenHow, Purpose
from alongside.intake.models import Peer, SupportRequest
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Application

# The purposes a coordinator withdraws on the person's request: what depends on them stops.
# Consent to support or to an application ends with the support or the application itself.
WITHDRAWABLE = (Purpose.REFERRER, Purpose.SURVEYS, Purpose.RESEARCH)


class WithdrawnHow(models.TextChoices):
    """How the person asked to withdraw their consent."""

    PHONE = "phone", _("By phone")
    WRITING = "writing", _("In writing: e-mail, text message or letter")
    IN_PERSON = "in_person", _("In person")
    REFERRER = "referrer", _("Through their referrer")


class ConsentText(models.Model):
    """One version of the words of one consent question, in one language, exactly as shown.

    A question's words in a language get a new version the first time a person agrees to
    different words; earlier records keep the version they agreed to."""

    wording = models.CharField(_("question"), max_length=200)
    language = models.CharField(_("language"), max_length=10)
    version = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"))
    digest = models.CharField(max_length=64, editable=False)
    first_agreed_at = models.DateTimeField(_("first agreed to"))

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        constraints = [
            models.UniqueConstraint(
                fields=["wording", "language", "digest"], name="consent_text_kept_once"
            ),
            models.UniqueConstraint(
                fields=["wording", "language", "version"], name="consent_text_version_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wording} v{self.version} ({self.language})"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def visible_to(self, user: User) -> Self:
        """Only the program's staff see a person's consents."""
        return self.filter(program_id__in=program_ids_for(user, STAFF_ROLES))

    def standing(self) -> Self:
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    """What one person agreed to, for one purpose: a person asking for support (with their
    request) or an applicant (with their application)."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    support_request = models.ForeignKey(
        SupportRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    peer = models.ForeignKey(
        Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="consents"
    )
    # The words agreed to; None for a consent given before records were kept (its words were
    # not kept, so none are shown).
    text = models.ForeignKey(
        ConsentText, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField(_("given"))
    given_how = models.CharField(_("given how"), max_length=20, choices=GivenHow.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_how = models.CharField(
        _("withdrawn how"), max_length=20, choices=WithdrawnHow.choices, blank=True
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [
            models.Index(fields=["support_request", "purpose"], name="consent_of_request_idx"),
            models.Index(fields=["application", "purpose"], name="consent_of_application_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    support_request__isnull=False, peer__isnull=False, application__isnull=True
                )
                | Q(support_request__isnull=True, peer__isnull=True, application__isnull=False),
                name="consent_of_one_request_or_application",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True, withdrawn_how="")
                | (Q(withdrawn_at__isnull=False) & ~Q(withdrawn_how="")),
                name="consent_withdrawn_when_and_how",
            ),
            models.UniqueConstraint(
                fields=["support_request", "purpose"],
                condition=Q(withdrawn_at__isnull=True, support_request__isnull=False),
                name="consent_one_standing_per_request_purpose",
            ),
            models.UniqueConstraint(
                fields=["application", "purpose"],
                condition=Q(withdrawn_at__isnull=True, application__isnull=False),
                name="consent_one_standing_per_application_purpose",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Consent #%(number)s") % {"number": self.pk})

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def may_be_withdrawn(self) -> bool:
        return not self.is_withdrawn and self.purpose in WITHDRAWABLE
