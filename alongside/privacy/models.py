"""Consent records: what a person agreed to, for which purpose, under which version of the
words, when and how, and its withdrawal; how long a program keeps what is past use, and the
legal holds that keep a person's or a match's records past it."""

import datetime as dt
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from alongside.accounts.models import AUDIT_ROLES, STAFF_ROLES, User
from alongside.core.consent import GivenHow, Purpose
from alongside.core.fields import EncryptedTextField
from alongside.intake.models import Peer, SupportRequest
from alongside.matches.models import Match
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


class RetentionKind(models.TextChoices):
    """What a program keeps for a time, then de-identifies or deletes."""

    REQUESTS = "requests", _("Closed and withdrawn requests, with the person's details")
    MATCHES = "matches", _("Closed matches, with their contacts, goals and check-ins")
    APPLICATIONS = "applications", _("Applications of people never accepted")
    MESSAGES = "messages", _("Messages sent")
    AUDIT_EVENTS = "audit_events", _("Audit events")


# Nobody keeps anything for less than this by mistake: a program that set 0 would de-identify a
# request the day it closed, before a complaint about it could be looked into.
MINIMUM_MONTHS = 6
MAXIMUM_MONTHS = 1200  # a hundred years: longer is "for ever", which a legal hold says better


def _months_field(
    label: StrOrPromise, default: int
) -> "models.PositiveSmallIntegerField[int, int]":
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(MINIMUM_MONTHS), MaxValueValidator(MAXIMUM_MONTHS)],
    )


class RetentionPolicy(models.Model):
    """How many months a program keeps each kind of record once it is past use.

    The defaults follow the longest periods the programs we serve must meet:
    - closed requests and closed matches with their contacts, 84 months (7 years): health records
      under PHIPA and the colleges' record-keeping rules are kept 7 years after the last contact
      (BC and Massachusetts ask no longer of a peer support program);
    - applications of people never accepted, 12 months: long enough to answer a complaint or a
      second application, and PIPEDA asks that what served no purpose be not kept longer;
    - messages sent, 12 months: the outbox shows what was sent when someone asks; the record of
      the support itself is the request and the match;
    - audit events, 84 months: the log of who saw a record is kept as long as the record.
    A record past its time is de-identified (requests, matches, applications: the rows stay with
    their dates, states and program, so every report counts the same) or deleted (messages,
    audit events). A program with no policy of its own follows these defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="+")
    requests_months = _months_field(_("closed requests, months"), 84)
    matches_months = _months_field(_("closed matches and their contacts, months"), 84)
    applications_months = _months_field(_("applications never accepted, months"), 12)
    messages_months = _months_field(_("messages, months"), 12)
    audit_events_months = _months_field(_("audit events, months"), 84)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=Q(requests_months__gte=MINIMUM_MONTHS)
                & Q(matches_months__gte=MINIMUM_MONTHS)
                & Q(applications_months__gte=MINIMUM_MONTHS)
                & Q(messages_months__gte=MINIMUM_MONTHS)
                & Q(audit_events_months__gte=MINIMUM_MONTHS),
                name="retention_at_least_the_minimum",
            )
        ]

    def __str__(self) -> str:
        return str(_("Retention of program #%(number)s") % {"number": self.program_id})

    def months(self, kind: RetentionKind | str) -> int:
        return int(getattr(self, f"{kind}_months"))


class LegalHoldQuerySet(models.QuerySet["LegalHold"]):
    def in_force(self) -> Self:
        return self.filter(lifted_at__isnull=True)

    def visible_to(self, user: User) -> Self:
        return self.filter(program_id__in=program_ids_for(user, STAFF_ROLES))


class LegalHold(models.Model):
    """Keeps a person's records, or one match's, from retention while it is in force (a
    complaint, a claim, a subpoena): nothing of theirs is de-identified or deleted until it is
    lifted. Placed and lifted with a reason, by someone; never deleted."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    peer = models.ForeignKey(
        Peer, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    match = models.ForeignKey(
        Match, null=True, blank=True, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.TextField(_("reason"))
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    placed_at = models.DateTimeField(_("placed"))
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lift_reason = models.TextField(_("why it was lifted"), blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=Q(peer__isnull=False, match__isnull=True)
                | Q(peer__isnull=True, match__isnull=False),
                name="legal_hold_on_a_person_or_a_match",
            ),
            models.UniqueConstraint(
                fields=["peer"],
                condition=Q(lifted_at__isnull=True, peer__isnull=False),
                name="legal_hold_one_in_force_per_person",
            ),
            models.UniqueConstraint(
                fields=["match"],
                condition=Q(lifted_at__isnull=True, match__isnull=False),
                name="legal_hold_one_in_force_per_match",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Legal hold #%(number)s") % {"number": self.pk})

    @property
    def in_force(self) -> bool:
        return self.lifted_at is None


class Deidentified(models.Model):
    """That one request, match or application was de-identified by retention, and when: the
    row stays for the counts, its personal data is gone, and retention passes it by."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=RetentionKind.choices)
    object_id = models.PositiveBigIntegerField()
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("de-identified record")
        verbose_name_plural = _("de-identified records")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="deidentified_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id}"


# Break-glass (issue 17, item 5): a program member opens a request outside their scope in an
# emergency, with a reason; the program's privacy lead reviews it.
class BreakGlassOutcome(models.TextChoices):
    JUSTIFIED = "justified", _("Justified")
    NOT_JUSTIFIED = "not_justified", _("Not justified")


class BreakGlassAccessQuerySet(models.QuerySet["BreakGlassAccess"]):
    def in_force(self, now: dt.datetime) -> Self:
        return self.filter(expires_at__gt=now)

    def to_review_by(self, user: User) -> Self:
        """The accesses of the programs where the user is privacy lead or administrator."""
        return self.filter(program_id__in=program_ids_for(user, AUDIT_ROLES))

    def unreviewed(self) -> Self:
        return self.filter(reviewed_at__isnull=True)


class BreakGlassAccess(models.Model):
    """A member of a program who opened a request outside their scope, why, until when, and
    what the program's privacy lead made of it. The reason may name the person: encrypted."""

    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_accesses"
    )
    support_request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="break_glass_accesses"
    )
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("reason"))
    opened_at = models.DateTimeField(_("opened"))
    expires_at = models.DateTimeField(_("access ends"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=BreakGlassOutcome.choices, blank=True
    )
    review_note = EncryptedTextField(_("note"), blank=True)

    objects = BreakGlassAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        indexes = [
            models.Index(fields=["program", "reviewed_at"], name="break_glass_to_review"),
            models.Index(
                fields=["opened_by", "support_request", "expires_at"], name="break_glass_in_force"
            ),
        ]

    def __str__(self) -> str:
        return f"Emergency access #{self.pk} to request #{self.support_request_id}"
