import datetime as dt
import uuid
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.core.blind_index import BlindIndexField, Kind
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.core.repeats import FINGERPRINT_LENGTH
from alongside.programs.models import (
    ChoiceListValidator,
    ContactMethod,
    Experience,
    Gender,
    Language,
    Program,
    Relationship,
    Site,
)
from alongside.programs.queries import in_site_scope, program_ids_for
from alongside.supporters.availability import DayPart


class Peer(models.Model):
    """The person asking for or receiving support. Their names and contact details are
    encrypted: no list sorts by them, searches go through their blind indexes."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="peers")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_name = EncryptedCharField(_("first name"))
    last_name = EncryptedCharField(_("last name"), blank=True)
    email = EncryptedCharField(_("e-mail"), blank=True)
    phone = EncryptedCharField(_("phone"), blank=True)
    # Keyed digests that let the encrypted fields be searched (ADR 0006); never shown.
    first_name_index = BlindIndexField(source="first_name", kind=Kind.WORDS)
    last_name_index = BlindIndexField(source="last_name", kind=Kind.WORDS)
    email_index = BlindIndexField(source="email", kind=Kind.EMAIL)
    phone_index = BlindIndexField(source="phone", kind=Kind.PHONE)
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("peer")
        verbose_name_plural = _("peers")

    def __str__(self) -> str:
        return str(self.first_name)


class Source(models.TextChoices):
    PUBLIC_FORM = "public_form", _("Online form")
    PHONE = "phone", _("Phone call")
    REFERRAL = "referral", _("Referral")


class RequestStatus(models.TextChoices):
    NEW = "new", _("Waiting for a match")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_REQUEST_STATUSES = (RequestStatus.NEW,)

# An unmatched request is "at risk" this long before it falls due. Requests fall due at the end
# of a business day, so for any business day of at least this length these are business hours.
SLA_RISK_WINDOW = dt.timedelta(hours=4)


class DueState(models.TextChoices):
    """Where a request waiting for a match stands against the program's promise."""

    ON_TIME = "on_time", _("On time")
    AT_RISK = "at_risk", _("Nearly due")
    OVERDUE = "overdue", _("Overdue")


def due_state_is(state: DueState, now: dt.datetime) -> Q:
    """Requests `state` at `now`: overdue once their due time has passed, nearly due within
    SLA_RISK_WINDOW of it (when safety's time-to-match alerts warn), else on time."""
    if state == DueState.OVERDUE:
        return Q(due_at__lte=now)
    if state == DueState.AT_RISK:
        return Q(due_at__gt=now, due_at__lte=now + SLA_RISK_WINDOW)
    return Q(due_at__gt=now + SLA_RISK_WINDOW)


class SupportRequestQuerySet(models.QuerySet["SupportRequest"]):
    def visible_to(self, user: User) -> Self:
        """Coordinators and administrators see their programs' requests, those tied to sites
        what their sites allow (`in_site_scope`); referrers their own."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES))
            | in_site_scope(user, STAFF_ROLES, site="site_id")
            | Q(referred_by_id=user.pk, program_id__in=program_ids_for(user, {Role.REFERRER}))
        )

    def waiting(self) -> Self:
        return self.filter(status__in=OPEN_REQUEST_STATUSES)

    def due_state(self, state: DueState, now: dt.datetime) -> Self:
        return self.filter(due_state_is(state, now))


class SupportRequest(models.Model):
    """A peer's request for support, from the public form, by phone, or by referral."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="requests")
    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="requests")
    source = models.CharField(_("came in by"), max_length=20, choices=Source.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    experience = models.ForeignKey(
        Experience, verbose_name=_("experience"), null=True, blank=True, on_delete=models.PROTECT
    )
    relationship = models.CharField(
        _("relationship to it"), max_length=20, choices=Relationship.choices, blank=True
    )
    experience_since = models.DateField(_("since"), null=True, blank=True)
    work_role = models.CharField(_("role at work"), max_length=100, blank=True)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL
    )
    contact_methods = models.JSONField(
        _("ways to contact them"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.ContactMethod")],
    )
    language = models.CharField(
        _("language"), max_length=5, choices=Language.choices, default=Language.ENGLISH
    )
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    wanted_gender = models.CharField(
        _("would like a supporter who is"), max_length=20, choices=Gender.choices, blank=True
    )
    wanted_gender_is_firm = models.BooleanField(_("only a supporter of that gender"), default=False)
    availability = models.JSONField(
        _("times that suit them"),
        default=list,
        blank=True,
        validators=[
            ChoiceListValidator("alongside.supporters.availability.DayPart", allow_empty=True)
        ],
    )
    about = EncryptedTextField(_("what is going on, in their words"), blank=True)
    preferences = EncryptedTextField(_("who they would like to talk to"), blank=True)
    consent_given_at = models.DateTimeField(_("consent given"))
    # For a request taken by phone, the moment the call started: the promise counts from it.
    received_at = models.DateTimeField(_("received"), db_index=True)
    due_at = models.DateTimeField(_("contact due by"), db_index=True)
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Who asked and what they wrote, as a keyed digest, and when (see core.repeats): the same
    # answers sent again, under a new token, are recognised as this request.
    answers_fingerprint = models.CharField(
        max_length=FINGERPRINT_LENGTH, blank=True, default="", editable=False
    )
    answers_window = models.PositiveIntegerField(null=True, blank=True, editable=False)
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Taken by phone: when the person asked to be called back, and the times that suit them.
    call_back_at = models.DateTimeField(_("call back at"), null=True, blank=True)
    best_times = EncryptedCharField(_("best times to reach them"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SupportRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [
            models.Index(fields=["program", "status", "due_at"]),
            # check_time_to_match: new requests, the earliest due first.
            models.Index(fields=["status", "due_at"], name="request_time_to_match_idx"),
            # The request queue sorted by how long each has waited.
            models.Index(fields=["status", "received_at"], name="request_waiting_since_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["answers_fingerprint", "answers_window"],
                condition=~Q(answers_fingerprint=""),
                name="request_same_answers_once_per_window",
            )
        ]

    def __str__(self) -> str:
        return str(_("Request #%(number)s") % {"number": self.pk})

    @property
    def reference(self) -> str:
        """What the person is shown on their confirmation and may quote when they call."""
        return self.submission_token.hex[:8].upper()

    @property
    def contact_method_labels(self) -> list[str]:
        return [
            str(ContactMethod(m).label) for m in self.contact_methods if m in ContactMethod.values
        ]

    @property
    def availability_labels(self) -> list[str]:
        return [str(DayPart(part).label) for part in self.availability if part in DayPart.values]

    @property
    def preferred_contact_method(self) -> str:
        return self.contact_methods[0] if self.contact_methods else ContactMethod.EMAIL


class ReferralShare(models.TextChoices):
    """What a client agrees to share when they are referred."""

    NAME_AND_LANGUAGE = "name_and_language", _("Their name and language")
    CONTACT_DETAILS = "contact_details", _("How to reach them, and the best times")
    GOALS = "goals", _("The goals they would like to start with")
    SITE = "site", _("The team or site that referred them")


class ReferralAudience(models.TextChoices):
    """Who a client agrees may see what they share when they are referred."""

    PROGRAM_TEAM = "program_team", _("The program's team")
    PEER_SUPPORT_WORKER = "peer_support_worker", _("The peer support worker they are matched with")


class Referral(models.Model):
    """What a referrer adds to a request they make for a client: the name the client goes by
    and the goals to start with (one per line)."""

    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="referral"
    )
    preferred_name = EncryptedCharField(_("preferred name"), blank=True)
    goals = EncryptedTextField(_("goals to start with"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return str(_("Referral #%(number)s") % {"number": self.request_id})

    @property
    def goal_list(self) -> list[str]:
        return [line for line in str(self.goals).splitlines() if line.strip()]


class ReferralConsent(models.Model):
    """The client's consent, recorded by their referrer: what is shared, with whom, for which
    purpose, under which version of the consent text, and what the referrer may hear back."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="consent")
    text_version = models.CharField(_("version of the consent text"), max_length=40)
    purpose = models.TextField(_("purpose"))
    shared = models.JSONField(
        _("what is shared"),
        default=list,
        validators=[ChoiceListValidator("alongside.intake.models.ReferralShare")],
    )
    shared_with = models.JSONField(
        _("with whom"),
        default=list,
        validators=[ChoiceListValidator("alongside.intake.models.ReferralAudience")],
    )
    referrer_may_know_who = models.BooleanField(
        _("the referrer may know who the peer support worker is"), default=False
    )
    summary_to_referrer = models.BooleanField(
        _("the referrer receives a closing summary"), default=False
    )
    given_at = models.DateTimeField(_("consent given"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("referral consent")
        verbose_name_plural = _("referral consents")

    def __str__(self) -> str:
        return f"{self.referral} — {self.text_version}"
