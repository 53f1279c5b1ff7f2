from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.accounts.queries import program_ids_for
from alongside.core.fields import EncryptedTextField
from alongside.intake.models import SupportRequest
from alongside.programs.models import ContactMethod, Program
from alongside.supporters.models import Supporter


class MatchStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


OPEN_MATCH_STATUSES = (MatchStatus.ACTIVE, MatchStatus.PAUSED)


class MatchQuerySet(models.QuerySet["Match"]):
    def visible_to(self, user: User) -> Self:
        """Staff and supervisors see their programs' matches; a supporter sees their own."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES | {Role.SUPERVISOR}))
            | Q(supporter__user_id=user.pk)
        )

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

    def __str__(self) -> str:
        return f"{self.get_method_display()} {self.occurred_at:%Y-%m-%d}"

    @property
    def support_type_labels(self) -> list[str]:
        return [
            str(SupportType(kind).label)
            for kind in self.support_types
            if kind in SupportType.values
        ]
