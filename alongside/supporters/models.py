from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.accounts.queries import program_ids_for
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.core.repeats import FINGERPRINT_LENGTH
from alongside.programs.models import (
    ChoiceListValidator,
    Experience,
    Gender,
    Program,
    Relationship,
    Site,
)
from alongside.supporters.availability import WindowError, parse_windows


class SupporterStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SCREENING = "screening", _("In screening")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ON_BREAK = "on_break", _("On a break")
    ALUMNI = "alumni", _("Alumni")
    WITHDRAWN = "withdrawn", _("Withdrawn")


def validate_availability(value: object) -> None:
    try:
        parse_windows(value)
    except WindowError as error:
        raise ValidationError(str(error)) from error


class PauseReason(models.TextChoices):
    EXPIRED = "expired", _("A training or check expired")
    NOT_READY = "not_ready", _("Back from a break with something missing")


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def visible_to(self, user: User) -> Self:
        """Staff and supervisors see their programs' supporters; a supporter sees themself."""
        return self.filter(
            models.Q(program_id__in=program_ids_for(user, STAFF_ROLES | {Role.SUPERVISOR}))
            | models.Q(user_id=user.pk)
        )


class Supporter(models.Model):
    """A person with lived experience who gives support in one program, volunteer or paid."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supporter_profiles"
    )
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SupporterStatus.choices, default=SupporterStatus.APPLIED
    )
    is_paid = models.BooleanField(_("paid peer support worker"), default=False)
    work_role = models.CharField(
        _("role at work"), max_length=100, blank=True, help_text=_("For example: nurse, physician.")
    )
    languages = models.JSONField(
        _("languages"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.Language")],
    )
    contact_methods = models.JSONField(
        _("contact methods"),
        default=list,
        validators=[ChoiceListValidator("alongside.programs.models.ContactMethod")],
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
    )
    max_concurrent_matches = models.PositiveSmallIntegerField(
        _("most matches at once"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(25)],
    )
    expected_hours_per_month = models.DecimalField(
        _("hours a month pledged"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    availability = models.JSONField(
        _("free to talk"),
        default=list,
        blank=True,
        validators=[validate_availability],
        help_text=_("Weekly windows in their own time zone; none means any time."),
    )
    supports_genders = models.JSONField(
        _("only supports people who are"),
        default=list,
        blank=True,
        validators=[ChoiceListValidator("alongside.programs.models.Gender", allow_empty=True)],
        help_text=_("Leave empty to support anyone."),
    )
    supports_relationships = models.JSONField(
        _("only supports people who relate to the experience as"),
        default=list,
        blank=True,
        validators=[
            ChoiceListValidator("alongside.programs.models.Relationship", allow_empty=True)
        ],
        help_text=_("Leave empty to support anyone."),
    )
    away_until = models.DateField(_("away until"), null=True, blank=True)
    commitment_starts_on = models.DateField(_("commitment starts"), null=True, blank=True)
    commitment_ends_on = models.DateField(_("commitment ends"), null=True, blank=True)
    about = EncryptedTextField(_("about them (for coordinators)"), blank=True)
    pause_reason = models.CharField(
        _("why paused"), max_length=20, choices=PauseReason.choices, blank=True
    )
    status_reason = EncryptedTextField(_("why their status changed"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer supporter")
        verbose_name_plural = _("peer supporters")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="supporter_once_per_program")
        ]
        # return_from_breaks_that_ended: on a break that ended; the expiry jobs: active ones.
        indexes = [models.Index(fields=["status", "away_until"], name="supporter_break_return_idx")]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name


class LivedExperience(models.Model):
    """An experience a supporter has lived through, how they relate to it, and since when."""

    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="experiences")
    experience = models.ForeignKey(Experience, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(_("relationship"), max_length=20, choices=Relationship.choices)
    since = models.DateField(_("since"), null=True, blank=True)

    class Meta:
        verbose_name = _("lived experience")
        verbose_name_plural = _("lived experiences")
        constraints = [
            models.UniqueConstraint(
                fields=["supporter", "experience", "relationship"], name="lived_experience_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.experience} ({self.get_relationship_display()})"


# ---- Applications ---------------------------------------------------------------------------


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
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = EncryptedCharField(_("last name"), blank=True)
    email = EncryptedCharField(_("e-mail"))
    phone = EncryptedCharField(_("phone"), blank=True)
    date_of_birth = EncryptedCharField(_("date of birth"), blank=True)
    experience = models.ForeignKey(
        Experience, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    experience_since = models.DateField(_("since"), null=True, blank=True)
    experience_details = EncryptedTextField(_("about their experience"), blank=True)
    work_role = models.CharField(_("role at work"), max_length=100, blank=True)
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


# ---- The pipeline ---------------------------------------------------------------------------


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


# ---- Wellbeing ------------------------------------------------------------------------------


class WellbeingCheckIn(models.Model):
    """A supporter's short self-care check-in: how they are doing, from 1 (struggling) to 5."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="wellbeing_checkins"
    )
    score = models.PositiveSmallIntegerField(
        _("how are you doing?"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    note = EncryptedTextField(_("anything you would like us to know"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("wellbeing check-in")
        verbose_name_plural = _("wellbeing check-ins")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="wellbeing_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.supporter} — {self.score}"


class DebriefRequest(models.Model):
    """A supporter's "I need to talk this through" after a hard contact; reaches the supervisors."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="debrief_requests"
    )
    note = EncryptedTextField(_("what happened, briefly (optional)"), blank=True)
    requested_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("debrief request")
        verbose_name_plural = _("debrief requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.supporter} — {self.requested_at:%Y-%m-%d}"


class SupervisionFormat(models.TextChoices):
    ONE_TO_ONE = "one_to_one", _("One to one")
    GROUP = "group", _("In a group")


class SupervisionSession(models.Model):
    """A supervision conversation a supervisor had with a supporter, and what came of it."""

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="supervision_sessions"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=SupervisionFormat.choices,
        default=SupervisionFormat.ONE_TO_ONE,
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    follow_up_on = models.DateField(_("follow up by"), null=True, blank=True)
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("supervision session")
        verbose_name_plural = _("supervision sessions")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.supporter} — {self.held_on}"
