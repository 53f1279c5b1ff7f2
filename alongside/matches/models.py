from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.fields import EncryptedTextField
from alongside.intake.models import SupportRequest
from alongside.matches.scopes import (
    staff_tied_scope,
    supervised_matches,
    supporters_at_tied_sites,
)
from alongside.programs.models import ContactMethod, Program
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Supporter


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


OPEN_MATCH_STATUSES = (MatchStatus.ACTIVE, MatchStatus.PAUSED)


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Completed as planned")
    GOALS_MET = "goals_met", _("Goals met")
    PERSON_WITHDREW = "person_withdrew", _("The person withdrew")
    SUPPORTER_UNAVAILABLE = "supporter_unavailable", _("The supporter became unavailable")
    EXTENUATING = "extenuating", _("Extenuating circumstances")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    NO_CONTACT = "no_contact", _("No contact")


class MatchQuerySet(models.QuerySet["Match"]):
    def visible_to(self, user: User) -> Self:
        """Staff see their programs' matches; a supervisor their supervisees'; a supporter
        their own. Staff tied to sites see those of a person their sites allow (and, in an
        ordinary program, of a supporter at one of their sites); nobody but the central team
        sees a match whose person the employer-blind rule hides from them (ADR 0013)."""
        # Through subqueries, not joins: a list sorts the matches first and joins only the
        # page's (see matches.lists).
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES))
            | staff_tied_scope(user)
            | supporters_at_tied_sites(user)
            | supervised_matches(user)
            | Q(supporter_id__in=Supporter.objects.filter(user_id=user.pk).values("pk"))
        )

    def supervised_by(self, user: User) -> Self:
        return self.filter(supervised_matches(user))

    def open(self) -> Self:
        return self.filter(status__in=OPEN_MATCH_STATUSES)


class Match(models.Model):
    """The one-to-one support relationship, from introduction to closure."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="matches")
    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="matches")
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="matches")
    status = models.CharField(
        _("status"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.ACTIVE
    )
    started_at = models.DateTimeField(_("started"))
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(
        _("why it closed"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    closure_note = EncryptedTextField(_("closing note"), blank=True)
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    summary_to_referrer_consented = models.BooleanField(
        _("the person agreed that a closing summary goes to their referrer"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status__in=["active", "paused"]),
                name="match_one_open_per_request",
            )
        ]
        # check_no_contact: the active matches.
        indexes = [models.Index(fields=["status", "id"], name="match_no_contact_idx")]

    def __str__(self) -> str:
        return str(_("Match #%(number)s") % {"number": self.pk})


class SupportType(models.TextChoices):
    EMOTIONAL = "emotional", _("Emotional support")
    RESOURCES = "resources", _("Referral and resource information")
    PRACTICAL = "practical", _("Practical suggestions and coping skills")


class ContactLog(models.Model):
    """One conversation, or an attempt at one, between supporter and peer."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="contacts")
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    occurred_at = models.DateTimeField(_("when"))
    minutes = models.PositiveSmallIntegerField(
        _("how long (minutes)"), validators=[MinValueValidator(0), MaxValueValidator(600)]
    )
    method = models.CharField(_("how"), max_length=20, choices=ContactMethod.choices)
    was_made = models.BooleanField(_("we talked"), default=True)
    follow_up_on = models.DateField(_("follow up on"), null=True, blank=True)
    follow_up_what = EncryptedTextField(_("what to follow up"), blank=True)
    needs_coordinator = models.BooleanField(_("needs the coordinator"), default=False)
    support_types = models.JSONField(_("support given"), default=list, blank=True)
    note = EncryptedTextField(_("private note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__lte=600), name="contact_minutes_within_a_day"
            ),
        ]
        # The match list: each match's last contact, read for a page or for a sort by it.
        indexes = [models.Index(fields=["match", "occurred_at"], name="contact_last_per_match_idx")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def support_type_labels(self) -> list[str]:
        return [
            str(SupportType(kind).label)
            for kind in self.support_types
            if kind in SupportType.values
        ]


class ContactComment(models.Model):
    """A supervisor's comment on one contact."""

    contact = models.ForeignKey(ContactLog, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = EncryptedTextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a contact")
        verbose_name_plural = _("comments on contacts")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return str(_("Comment #%(number)s") % {"number": self.pk})


class MatchEventKind(models.TextChoices):
    PAUSED = "paused", _("Paused")
    RESUMED = "resumed", _("Resumed")
    EXTENDED = "extended", _("Extended")
    CLOSED = "closed", _("Closed")


class MatchEvent(models.Model):
    """One change in a match's plan, kept as its history."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what happened"), max_length=20, choices=MatchEventKind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("when"))
    detail = models.CharField(_("detail"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("match event")
        verbose_name_plural = _("match events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"

    @property
    def shown_detail(self) -> str:
        """The detail as people read it: a closing reason's label, never its code."""
        if self.kind == MatchEventKind.CLOSED and self.detail in ClosureReason.values:
            return str(ClosureReason(self.detail).label)
        return self.detail


class CheckInKind(models.TextChoices):
    MILESTONE = "milestone", _("Milestone check-in")
    CLOSURE = "closure", _("Closure check-in")


class CheckInMethod(models.TextChoices):
    FORM = "form", _("Short form")
    CALL = "call", _("Call")


class CheckIn(models.Model):
    """A planned touch-point on a match with both sides, logged by a coordinator."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="checkins")
    kind = models.CharField(_("kind"), max_length=20, choices=CheckInKind.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    due_on = models.DateField(_("due"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    method = models.CharField(_("how"), max_length=10, choices=CheckInMethod.choices, blank=True)
    with_peer = models.BooleanField(_("heard from the person"), default=False)
    with_supporter = models.BooleanField(_("heard from the supporter"), default=False)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "month"],
                condition=Q(kind="milestone"),
                name="checkin_one_per_milestone",
            ),
            models.UniqueConstraint(
                fields=["match"], condition=Q(kind="closure"), name="checkin_one_closure"
            ),
        ]

    def __str__(self) -> str:
        if self.kind == CheckInKind.CLOSURE:
            return str(_("Closure check-in"))
        return str(_("%(month)s-month check-in") % {"month": self.month})

    @property
    def is_done(self) -> bool:
        return self.done_at is not None


class GoalStatus(models.TextChoices):
    ACTIVE = "active", _("Working on it")
    ACHIEVED = "achieved", _("Achieved")
    CHANGED = "changed", _("Changed")
    DROPPED = "dropped", _("Dropped")


class Goal(models.Model):
    """What the person wants to reach in a goal-based match."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="goals")
    description = EncryptedTextField(_("goal"))
    status = models.CharField(
        _("status"), max_length=20, choices=GoalStatus.choices, default=GoalStatus.ACTIVE
    )
    agreed_on = models.DateField(_("agreed on"))
    review_on = models.DateField(_("review on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["agreed_on", "id"]

    def __str__(self) -> str:
        return str(_("Goal #%(number)s") % {"number": self.pk})


class GoalNote(models.Model):
    """A progress note on a goal, with the status it moved to, if any."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = EncryptedTextField(_("progress"))
    status = models.CharField(_("status then"), max_length=20, choices=GoalStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("goal progress note")
        verbose_name_plural = _("goal progress notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.goal} {self.created_at:%Y-%m-%d}"


class HoursReportQuerySet(models.QuerySet["HoursReport"]):
    def visible_to(self, user: User) -> Self:
        """Staff see their programs' reports; a supporter sees their own."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES)) | Q(supporter__user_id=user.pk)
        )


class HoursReport(models.Model):
    """A supporter's monthly confirmation of hours and contacts, pre-filled from their log."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="hours_reports")
    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="hours_reports")
    month = models.DateField(_("month"), help_text=_("The first day of the month reported."))
    logged_minutes = models.PositiveIntegerField(_("minutes logged"), default=0)
    logged_contacts = models.PositiveIntegerField(_("contacts logged"), default=0)
    logged_methods = models.JSONField(_("contacts by method"), default=dict, blank=True)
    confirmed_minutes = models.PositiveIntegerField(_("minutes confirmed"), null=True, blank=True)
    confirmed_contacts = models.PositiveIntegerField(_("contacts confirmed"), null=True, blank=True)
    anything_to_know = EncryptedTextField(_("anything the coordinator should know"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # The last reminder sent, in days after the month's end (0: none yet), so a run reads only
    # the reports a reminder is due for.
    reminded_after_days = models.PositiveSmallIntegerField(_("last reminder (days)"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HoursReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("hours report")
        verbose_name_plural = _("hours reports")
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supporter", "month"], name="hours_report_once_a_month")
        ]
        # remind_missing_hours_reports: unconfirmed reports of months that have ended.
        indexes = [models.Index(fields=["confirmed_at", "month"], name="hours_report_reminder_idx")]

    def __str__(self) -> str:
        return f"{self.supporter} {self.month:%Y-%m}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class NoContactStage(models.TextChoices):
    NUDGED = "nudged", _("Supporter nudged")
    ESCALATED = "escalated", _("Coordinator told")


class NoContactAlert(models.Model):
    """No contact logged on an active match for a while: first a nudge, then the coordinator."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="no_contact_alerts")
    # The last contact (or the start) the silence is counted from; a new contact starts anew.
    silent_since = models.DateTimeField(_("silent since"))
    stage = models.CharField(_("stage"), max_length=20, choices=NoContactStage.choices)
    created_at = models.DateTimeField(_("raised"))
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("no-contact alert")
        verbose_name_plural = _("no-contact alerts")
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["match", "silent_since", "stage"], name="no_contact_alert_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.match} {self.get_stage_display()}"
