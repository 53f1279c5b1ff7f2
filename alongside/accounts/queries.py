"""Which programs a user may act in, and how: the base of every program-scoped query."""

from collections.abc import Collection
from typing import Any

from django.db.models import QuerySet

from alongside.accounts.models import Membership, Role, User


def program_ids_for(user: User, roles: Collection[Role]) -> QuerySet[Any, int]:
    """Ids of the programs where the user holds one of `roles` (a subquery, not a list)."""
    from alongside.programs.models import Program

    if user.is_superuser and Role.ADMINISTRATOR in roles:
        return Program.objects.filter(is_active=True).values_list("id", flat=True)
    return Membership.objects.filter(
        user_id=user.pk, role__in=list(roles), is_active=True, program__is_active=True
    ).values_list("program_id", flat=True)


def holds_role_in(user: User, roles: Collection[Role], program_id: int) -> bool:
    """Whether the user holds one of `roles` in this one program (superusers administer all).

    Ask this rather than filtering `program_ids_for`, whose rows differ for a superuser.
    """
    from alongside.programs.models import Program

    return Program.objects.filter(pk=program_id, pk__in=program_ids_for(user, roles)).exists()


def roles_of(user: User) -> set[str]:
    """The roles a user holds in any program.

    Read once per user object: the access check, the menu and the home page all ask during
    one request, and each request loads its user afresh.
    """
    if not user.is_authenticated:
        return set()
    cached: frozenset[str] | None = getattr(user, "_alongside_roles", None)
    if cached is None:
        roles = set(
            Membership.objects.filter(user_id=user.pk, is_active=True).values_list(
                "role", flat=True
            )
        )
        if user.is_superuser:
            roles.add(Role.ADMINISTRATOR)
        cached = frozenset(roles)
        user._alongside_roles = cached  # type: ignore[attr-defined]
    return set(cached)
