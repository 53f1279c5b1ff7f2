import zoneinfo
from typing import Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    SUPERVISOR = "supervisor", _("Supervisor")
    SUPPORTER = "supporter", _("Peer supporter")
    REFERRER = "referrer", _("Referrer")
    # Answers for the program's privacy: reads its audit log, reviews break-glass access. Sees
    # no request, supporter or match through that role.
    PRIVACY_LEAD = "privacy_lead", _("Privacy lead")


# Roles that may see everything in their programs and manage it: coordinators and
# administrators. Every "coordinator or administrator" check names this set.
STAFF_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR})
# Roles that may read a program's audit log (an installation's superuser reads all of it).
AUDIT_ROLES = frozenset({Role.ADMINISTRATOR, Role.PRIVACY_LEAD})
# Roles a program can tie to sites (ADR 0013): tied to sites, they see only what those sites
# allow; untied, they are the program's central team and see all of it.
SITE_SCOPED_ROLES = frozenset({Role.ADMINISTRATOR, Role.COORDINATOR, Role.SUPERVISOR})
# The roles of a program's team, granted on its team page (its supporters join by applying).
TEAM_ROLES = frozenset(
    {Role.COORDINATOR, Role.SUPERVISOR, Role.REFERRER, Role.ADMINISTRATOR, Role.PRIVACY_LEAD}
)
# Roles whose holders may take a shift on a program's on-call rota (today, its staff).
ROTA_ROLES = STAFF_ROLES


class EmailUserManager(UserManager["User"]):
    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """The whole address in lower case, without surrounding spaces: an address is one
        account however it is typed (sign-in, invitations and searches compare it exactly)."""
        return (email or "").strip().lower()

    def _create_user_object(
        self, username: str | None, email: str | None, password: str | None, **extra: Any
    ) -> "User":
        user = self.model(email=self.normalize_email(email), **extra)
        user.password = ""
        if password:
            user.set_password(password)
        return user

    def create_user(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        user = self._create_user_object(None, email, password, **extra)
        user.save(using=self._db)
        return user

    def create_superuser(  # type: ignore[override]
        self, email: str, password: str | None = None, **extra: Any
    ) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


def validate_time_zone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(zone)s” is not a time zone we know."), params={"zone": value})


class User(AbstractUser):
    """Anyone who signs in: staff, supporters, referrers. Signs in with their e-mail address."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_name = models.CharField(_("preferred name"), max_length=150, blank=True)
    language = models.CharField(
        _("language"),
        max_length=10,
        default="en",
        choices=[("en", "English"), ("fr-ca", "Français")],
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, blank=True, validators=[validate_time_zone]
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects: ClassVar[EmailUserManager] = EmailUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Every way an account is made or changed (invitations, the admin, an accepted
        # applicant) stores its address as sign-in compares it.
        self.email = EmailUserManager.normalize_email(self.email)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.first_name or self.email.split("@")[0]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def central(self) -> Self:
        """Roles that reach their whole program: every role not tied to sites."""
        return self.exclude(role__in=list(SITE_SCOPED_ROLES), sites__isnull=False)

    def tied(self) -> Self:
        """Roles tied to sites: they reach only what those sites allow."""
        return self.filter(
            role__in=list(SITE_SCOPED_ROLES),
            pk__in=Membership.sites.through.objects.values("membership_id"),
        )


class Membership(models.Model):
    """A user's role in one program. A user may hold several roles in several programs."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    program = models.ForeignKey(
        "programs.Program", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    # The sites (facilities, teams) this role is tied to; none: the program's central team,
    # who see all of it. A role tied to sites sees only what its sites allow (programs.scopes).
    sites = models.ManyToManyField(
        "programs.Site", verbose_name=_("sites"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("program membership")
        verbose_name_plural = _("program memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "program", "role"], name="membership_unique_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.program}"
