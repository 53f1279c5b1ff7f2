import datetime as dt
from typing import Self

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.programs.models import Program
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Supporter


class SessionKind(models.TextChoices):
    PEER_GROUP = "peer_group", _("Peer support group")
    WORKSHOP = "workshop", _("Peer-led workshop")
    CHECK_IN = "check_in", _("Supporter check-in meeting")


class GroupSessionQuerySet(models.QuerySet["GroupSession"]):
    def visible_to(self, user: User) -> Self:
        """The program's staff see its sessions; a supporter sees those they are invited to."""
        return self.filter(
            Q(program_id__in=program_ids_for(user, STAFF_ROLES))
            | Q(pk__in=Attendance.objects.filter(supporter__user_id=user.pk).values("session_id"))
        )

    def managed_by(self, user: User) -> Self:
        """The sessions of the programs the user coordinates or administers."""
        return self.filter(program_id__in=program_ids_for(user, STAFF_ROLES))

    def upcoming(self, now: dt.datetime) -> Self:
        return self.filter(starts_at__gte=now).order_by("starts_at", "pk")

    def past(self, now: dt.datetime) -> Self:
        return self.filter(starts_at__lt=now).order_by("-starts_at", "-pk")


class GroupSession(models.Model):
    """A peer support group, a peer-led workshop or a supporter check-in meeting, at one time."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="group_sessions")
    kind = models.CharField(_("kind"), max_length=20, choices=SessionKind.choices)
    title = models.CharField(_("title"), max_length=150)
    starts_at = models.DateTimeField(_("starts"))
    length_minutes = models.PositiveSmallIntegerField(
        _("length (minutes)"), validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video call link"), max_length=500, blank=True)
    capacity = models.PositiveSmallIntegerField(
        _("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("Leave empty when there is no limit."),
    )
    notes = models.TextField(_("notes for those attending"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancellation_reason = models.TextField(_("why it was cancelled"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GroupSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("group session")
        verbose_name_plural = _("group sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(place="") | ~Q(video_link=""),
                name="group_session_has_place_or_link",
                violation_error_message=_("Give a place, a video call link, or both."),
            ),
            models.CheckConstraint(
                condition=Q(cancelled_at__isnull=True) | ~Q(cancellation_reason=""),
                name="group_session_cancellation_has_reason",
                violation_error_message=_("Say why the session is cancelled."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.length_minutes)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDING = "attending", _("Coming")
    NOT_COMING = "not_coming", _("Can't come")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


# Answers a supporter gives before the session; what the coordinator records after it.
ANSWERED_STATUSES = (AttendanceStatus.ATTENDING, AttendanceStatus.NOT_COMING)
RECORDED_STATUSES = (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT)


class Attendance(models.Model):
    """One supporter invited to a session: their answer before it, and whether they came."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendances")
    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="group_attendances"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )
    invited_at = models.DateTimeField(_("invited"))
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("attendance taken"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "supporter"], name="attendance_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} — {self.get_status_display()}"
