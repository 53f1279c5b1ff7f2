"""The roles a user holds and the sign-in lockouts they may see. Which programs a user may act in,
the base of every program-scoped query, is `programs.queries.program_ids_for`."""

from datetime import datetime
from typing import Any

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Lower
from django.utils import timezone

from alongside.accounts.models import SITE_SCOPED_ROLES, TEAM_ROLES, Membership, Role, User


def roles_of(user: User) -> set[str]:
    """The roles a user holds in any program.

    Read once per user object: the access check, the menu and the home page all ask during
    one request, and each request loads its user afresh.
    """
    return set(_memberships_of(user)[0])


def time_zone_of(user: User) -> str:
    """The zone a user reads times in: their own, else their first program's ("" for none)."""
    return user.time_zone or program_time_zone_of(user)


def program_time_zone_of(user: User) -> str:
    """The time zone of the user's first program ("" for none), read with their roles in the
    same query, once per user object."""
    return _memberships_of(user)[1]


def ties_of(user: User) -> frozenset[str]:
    """The roles the user holds tied to sites (ADR 0013), read with their roles in the same
    query, once per user object: a query for a user with none leaves the tied roles' conditions
    out altogether."""
    return _memberships_of(user)[2]


def _memberships_of(user: User) -> tuple[frozenset[str], str, frozenset[str]]:
    """The user's roles, their first program's time zone and their roles tied to sites (one
    query per user object)."""
    if not user.is_authenticated:
        return frozenset(), "", frozenset()
    cached: tuple[frozenset[str], str, frozenset[str]] | None = getattr(
        user, "_alongside_memberships", None
    )
    if cached is None:
        rows = list(
            Membership.objects.filter(user_id=user.pk, is_active=True)
            .order_by("pk")
            .annotate(
                tied=Exists(Membership.sites.through.objects.filter(membership_id=OuterRef("pk")))
            )
            .values_list("role", "program__time_zone", "tied")
        )
        roles = {role for role, _zone, _tied in rows}
        if user.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        tied = {role for role, _zone, is_tied in rows if is_tied and role in SITE_SCOPED_ROLES}
        zone = next((zone for _role, zone, _tied in rows if zone), "")
        cached = (frozenset(roles), zone, frozenset(tied))
        user._alongside_memberships = cached  # type: ignore[attr-defined]
    return cached


def _typed_emails_of_people_in(programs: QuerySet[Any, int]) -> QuerySet[Any, str]:
    """The e-mails of the people in these programs, as the lockout stores them (lower case)."""
    return (
        User.objects.filter(memberships__program_id__in=programs, memberships__is_active=True)
        .annotate(typed=Lower("email"))
        .values_list("typed", flat=True)
    )


def lockouts_visible_to(user: User) -> QuerySet[Any, dict[str, Any]]:
    """The sign-in lockouts in force, one row per e-mail and address, latest first.

    An administrator sees those of the people in their programs; an installation's superuser
    sees every one, also those of e-mails that belong to no account.
    """
    attempts = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - get_cool_off())
    if not user.is_superuser:
        programs = Membership.objects.filter(
            user_id=user.pk, role=Role.ADMINISTRATOR, is_active=True, program__is_active=True
        ).values_list("program_id", flat=True)
        attempts = attempts.filter(username__in=_typed_emails_of_people_in(programs))
    lockouts: QuerySet[Any, dict[str, Any]] = (
        attempts.values("username", "ip_address")
        .annotate(
            failures=Sum("failures_since_start"),
            last_failure=Max("attempt_time"),
            attempt_id=Min("id"),
        )
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("-last_failure", "username", "ip_address")
    )
    return lockouts


def lockout_ends_at(*, typed_email: str | None, address: str | None) -> datetime | None:
    """When the lockout of this e-mail from this address ends (None when none is in force)."""
    attempts = AccessAttempt.objects.filter(username=typed_email, ip_address=address)
    last_failure = attempts.aggregate(last=Max("attempt_time"))["last"]
    if last_failure is None:
        return None
    ends_at: datetime = last_failure + get_cool_off()
    return ends_at if ends_at > timezone.now() else None


def team_of(program_id: int, search: str = "") -> QuerySet[Membership]:
    """The active roles on a program's team (not its supporters), by the person's name, with
    the sites each is tied to; `search` finds people by name or e-mail."""
    rows = Membership.objects.filter(
        program_id=program_id, role__in=list(TEAM_ROLES), is_active=True, user__is_active=True
    )
    term = search.strip()
    if term:
        rows = rows.filter(
            Q(user__first_name__icontains=term)
            | Q(user__last_name__icontains=term)
            | Q(user__preferred_name__icontains=term)
            | Q(user__email__icontains=term)
        )
    return (
        rows.select_related("user")
        .prefetch_related("sites")  # a site's own order: by name
        .order_by(Lower("user__first_name"), "user__email", "role")
    )
