"""Looking after supporters: wellbeing check-ins, debrief requests, supervision."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from alongside.core.fields import EncryptedTextField
from alongside.supporters.models.profile import Supporter


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
