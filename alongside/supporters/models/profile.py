"""The supporter: who they are, what they offer, their lived experience and status."""

import operator
from collections.abc import Collection
from functools import reduce
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.accounts.queries import roles_of, ties_of
from alongside.core.blind_index import BlindIndexField, Kind
from alongside.core.fields import EncryptedCharField, EncryptedTextField
from alongside.programs.models import (
    ChoiceListValidator,
    Experience,
    Gender,
    PipelineStep,
    Program,
    Relationship,
    Site,
)
from alongside.programs.queries import (
    NOTHING,
    program_ids_for,
    program_ids_with_role,
    tied_site_ids,
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


class WithdrawalReason(models.TextChoices):
    """Why a supporter withdrew, in a coordinator's words: the main reason, to count (the
    written note beside it says the rest)."""

    TIME = "time", _("Less time: work, family or life changed")
    OWN_HEALTH = "own_health", _("Their own health")
    MOVED = "moved", _("Moved away")
    NOT_A_FIT = "not_a_fit", _("The role was not a good fit")
    BURNOUT = "burnout", _("Burnout or strain from the role")
    OTHER = "other", _("Another reason")
    # Withdrawn before the reason was asked: never guessed from the written note.
    NOT_RECORDED = "not_recorded", _("Not recorded")


# The reasons a coordinator chooses from (the others are the past's).
CHOSEN_WITHDRAWAL_REASONS = tuple(
    reason for reason in WithdrawalReason if reason != WithdrawalReason.NOT_RECORDED
)


class PauseReason(models.TextChoices):
    EXPIRED = "expired", _("A training or check expired")
    NOT_READY = "not_ready", _("Back from a break with something missing")


class SupporterQuerySet(models.QuerySet["Supporter"]):
    def visible_to(self, user: User) -> Self:
        """Staff see their programs' supporters (those tied to sites, their sites'),
        supervisors their supervisees; a supporter sees themself."""
        return self.staffed_by(user) | self.supervised_by(user) | self.filter(user_id=user.pk)

    def staffed_by(self, user: User) -> Self:
        """The supporters the user manages as staff: their programs' (those tied to sites,
        their sites')."""
        return self.filter(
            models.Q(program_id__in=program_ids_for(user, STAFF_ROLES))
            | at_tied_sites(user, STAFF_ROLES)
        )

    def supervised_by(self, user: User) -> Self:
        return self.filter(supervised_by(user))

    def looked_after_by(self, user: User) -> Self:
        """The supporters whose supervision the user records: their supervisees, and the
        supporters they coordinate (their programs', or their sites')."""
        coordinating = {Role.COORDINATOR}
        return self.filter(
            models.Q(program_id__in=program_ids_for(user, coordinating))
            | at_tied_sites(user, coordinating)
            | supervised_by(user)
        )


def at_tied_sites(user: User, roles: Collection[Role]) -> models.Q:
    """The supporters at the sites the user's roles among `roles` are tied to."""
    if not ties_of(user) & set(roles):
        return NOTHING
    return models.Q(site_id__in=tied_site_ids(user, roles))


def supervised_by(user: User, path: str = "") -> models.Q:
    """The supporters a supervisor looks after: those who name them as their supervisor, and
    those who name nobody in a program they supervise whole or at a site they are tied to.
    `path` reaches the supporter from the row ("supporter__" from a match)."""
    return reduce(operator.or_, supervision_parts(user, path), NOTHING)


def supervision_parts(user: User, path: str = "") -> tuple[models.Q, ...]:
    """`supervised_by`'s conditions (none for someone who supervises nowhere), each driven by
    a few ids (see `programs.queries.site_scope_parts`)."""
    supervising = {Role.SUPERVISOR}
    if Role.SUPERVISOR not in roles_of(user):
        return ()
    unnamed = {f"{path}supervisor__isnull": True}
    parts = [
        models.Q(
            **{
                f"{path}supervisor_id": user.pk,
                f"{path}program_id__in": program_ids_with_role(user, supervising),
            }
        ),
        models.Q(**{f"{path}program_id__in": program_ids_for(user, supervising)}, **unnamed),
    ]
    if Role.SUPERVISOR in ties_of(user):
        parts.append(
            models.Q(**{f"{path}site_id__in": tied_site_ids(user, supervising)}, **unnamed)
        )
    return tuple(parts)


class Supporter(models.Model):
    """A person with lived experience who gives support in one program, volunteer or paid.

    Their account holds what signing in and greeting them need (e-mail, first and preferred
    name); their last name is kept here, encrypted, and searched through its blind index."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="supporters")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="supporter_profiles"
    )
    last_name = EncryptedCharField(_("last name"), blank=True)
    last_name_index = BlindIndexField(source="last_name", kind=Kind.WORDS)
    site = models.ForeignKey(
        Site, verbose_name=_("site"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # Their named supervisor; none: every supervisor of the program whose scope holds them.
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("supervisor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supervisees",
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
    # The main reason of a withdrawn supporter, counted by the reports; blank for anyone else.
    withdrawal_reason = models.CharField(
        _("main reason for withdrawing"),
        max_length=20,
        choices=WithdrawalReason.choices,
        blank=True,
    )
    # Where a supporter on their way (applied, in screening) waits, and since when: the
    # readiness gate's first required step not met, stored so that a list of thousands filters
    # and sorts by it. Kept by supporters/steps.py; empty for everyone else.
    current_step = models.ForeignKey(
        PipelineStep,
        verbose_name=_("step"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="supporters_waiting",
    )
    step_since = models.DateTimeField(
        _("at this step since"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("peer supporter")
        verbose_name_plural = _("peer supporters")
        constraints = [
            models.UniqueConstraint(fields=["program", "user"], name="supporter_once_per_program")
        ]
        # return_from_breaks_that_ended: on a break that ended; the expiry jobs: active ones.
        indexes = [
            models.Index(fields=["status", "away_until"], name="supporter_break_return_idx"),
            # The supporter list filtered by a step, longest waiting first.
            models.Index(fields=["current_step", "step_since"], name="supporter_step_idx"),
        ]

    def __str__(self) -> str:
        return self.user.display_name

    @property
    def display_name(self) -> str:
        return self.user.display_name

    @property
    def days_at_step(self) -> int | None:
        """Whole days since they reached the step they wait at; None at no step."""
        if self.current_step_id is None or self.step_since is None:
            return None
        return (timezone.now() - self.step_since).days


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
