import uuid
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.fields import EncryptedTextField
from alongside.intake.models import SupportRequest
from alongside.matching.scoring import CRITERIA, DEFAULT_WEIGHTS
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Supporter


def default_weights() -> dict[str, float]:
    return {str(name): float(points) for name, points in DEFAULT_WEIGHTS.items()}


class MatchingSettings(models.Model):
    """How a program matches: the weight of each criterion and the exclusions it sets."""

    program = models.OneToOneField(
        Program, on_delete=models.CASCADE, related_name="matching_settings"
    )
    weights = models.JSONField(_("points per criterion"), default=default_weights)
    exclude_same_site = models.BooleanField(
        _("match people with someone from another site"),
        default=False,
        help_text=_("Health-care workers often want a colleague from another facility."),
    )
    proposal_response_hours = models.PositiveSmallIntegerField(
        _("supporters answer a proposal within (hours)"),
        default=48,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 14)],
    )

    class Meta:
        verbose_name = _("matching settings")
        verbose_name_plural = _("matching settings")

    def __str__(self) -> str:
        return str(_("Matching settings of %(program)s") % {"program": self.program})

    def clean(self) -> None:
        known = {str(name) for name in CRITERIA}
        if not isinstance(self.weights, dict):
            raise ValidationError({"weights": _("Give points per criterion.")})
        unknown = sorted(set(self.weights) - known)
        if unknown:
            raise ValidationError(
                {"weights": _("Unknown criteria: %(names)s.") % {"names": ", ".join(unknown)}}
            )
        for name, value in self.weights.items():
            if not isinstance(value, int | float) or not 0 <= value <= 100:
                raise ValidationError(
                    {"weights": _("%(name)s: give points from 0 to 100.") % {"name": name}}
                )


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft (not sent)")
    PROPOSED = "proposed", _("Waiting for the supporter")
    ACCEPTED = "accepted", _("Accepted by the supporter")
    DECLINED = "declined", _("Declined by the supporter")
    CONFIRMED = "confirmed", _("Confirmed: match started")
    EXPIRED = "expired", _("No answer in time")
    WITHDRAWN = "withdrawn", _("Withdrawn by the coordinator")


# A proposal in these states holds one of the supporter's places and the request.
HOLDING_STATUSES = (ProposalStatus.DRAFT, ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)


class ProposalQuerySet(models.QuerySet["Proposal"]):
    def visible_to(self, user: User) -> Self:
        """Staff see their programs' proposals; a supporter sees those made to them (sent)."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES))
            | (Q(supporter__user_id=user.pk) & ~Q(status=ProposalStatus.DRAFT))
        )

    def holding(self) -> Self:
        return self.filter(status__in=HOLDING_STATUSES)


class Proposal(models.Model):
    """A suggested pairing waiting for the supporter's and the coordinator's yes."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="proposals")
    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="proposals")
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="proposals")
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=1)
    score_parts = models.JSONField(_("score, part by part"), default=dict)
    batch = models.UUIDField(_("run"), null=True, blank=True, default=None, db_index=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = EncryptedTextField(_("why they declined"), blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    match = models.OneToOneField(
        "matches.Match", null=True, blank=True, on_delete=models.SET_NULL, related_name="proposal"
    )

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["draft", "proposed", "accepted"]),
                name="proposal_one_open_per_request",
            ),
        ]
        # expire_overdue_proposals: proposed, and the time to answer passed.
        indexes = [models.Index(fields=["status", "respond_by"], name="proposal_expiry_idx")]

    def __str__(self) -> str:
        return str(_("Proposal #%(number)s") % {"number": self.pk})

    @property
    def is_open(self) -> bool:
        """Still holding the request and one of the supporter's places."""
        return self.status in HOLDING_STATUSES

    @staticmethod
    def new_batch() -> uuid.UUID:
        return uuid.uuid4()


class Conflict(models.Model):
    """A coordinator's note that a supporter must not be matched with a person (they know
    each other, a past complaint...). The matching never proposes the pair."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    peer = models.ForeignKey("intake.Peer", on_delete=models.CASCADE, related_name="conflicts")
    supporter = models.ForeignKey(Supporter, on_delete=models.CASCADE, related_name="conflicts")
    reason = EncryptedTextField(_("why"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        constraints = [
            models.UniqueConstraint(fields=["peer", "supporter"], name="conflict_once_per_pair")
        ]

    def __str__(self) -> str:
        return str(_("Conflict #%(number)s") % {"number": self.pk})


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Under way")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped before the end")


# A program has at most one run in these states: a second start joins it.
ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class RunStage(models.TextChoices):
    WAITING = "waiting", _("Waiting for its turn")
    SCORING = "scoring", _("Scoring every possible pair")
    SOLVING = "solving", _("Finding the best set of matches")
    CHECKING = "checking", _("Checking each suggestion against the latest records")
    DONE = "done", _("Done")


class MatchingRun(models.Model):
    """One "match everyone waiting", worked in the background: its stage, counts and outcome.

    Its drafts carry its `batch` until the coordinator sends them.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="matching_runs")
    batch = models.UUIDField(_("run"), unique=True, default=uuid.uuid4, editable=False)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=RunStage.choices, default=RunStage.WAITING
    )
    waiting = models.PositiveIntegerField(_("people waiting"), default=0)
    drafted = models.PositiveIntegerField(_("suggestions drafted"), default=0)
    # Suggestions the fresh check changed: their supporter was no longer available or had no
    # place left; or something else changed (a conflict, a detail of the request or supporter).
    changed_unavailable = models.PositiveIntegerField(default=0)
    changed_other = models.PositiveIntegerField(default=0)
    # Requests taken care of while the run worked (proposed by hand, closed).
    no_longer_waiting = models.PositiveIntegerField(default=0)
    rounds = models.PositiveSmallIntegerField(_("rounds"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)  # every stage writes it: a heartbeat

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["program"],
                condition=Q(status__in=["queued", "running"]),
                name="matching_run_one_active_per_program",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Matching run #%(number)s") % {"number": self.pk})

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_RUN_STATUSES

    @property
    def unplaced(self) -> int:
        """People still waiting after the run: nobody who fits had room."""
        return max(self.waiting - self.drafted - self.no_longer_waiting, 0)
