from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from alongside.accounts.models import AUDIT_ROLES, STAFF_ROLES, Role
from alongside.accounts.queries import roles_of
from alongside.intake.queries import programs_taking_calls
from alongside.notifications.queries import inbox_count_for
from alongside.privacy.break_glass import unreviewed_count


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the menu shows: only the places this person may go."""
    roles = roles_of(request.user) if hasattr(request, "user") else set()  # type: ignore[arg-type]
    is_staff = bool(roles & STAFF_ROLES)
    user = getattr(request, "user", None)
    has_matches = bool(roles & (STAFF_ROLES | {Role.SUPPORTER, Role.SUPERVISOR}))
    reads_audit = bool(roles & AUDIT_ROLES)
    return {
        "nav_refers": Role.REFERRER in roles,
        "nav_is_staff": is_staff,
        "nav_is_supporter": Role.SUPPORTER in roles,
        # Asked only of staff: one query, and only for those who could take a call.
        "nav_takes_calls": is_staff and programs_taking_calls(request.user).exists(),  # type: ignore[arg-type]
        "nav_has_matches": has_matches,
        # Whether the menu has any link at all (every role but the referrer's and the privacy
        # lead's sees Matches).
        "nav_has_links": has_matches or reads_audit or Role.REFERRER in roles,
        "nav_reads_audit": reads_audit,
        # Emergency accesses to review, counted only when the menu shows it (one query).
        "nav_break_glass_to_review": SimpleLazyObject(lambda: unreviewed_count(user))  # type: ignore[arg-type]
        if reads_audit
        else None,
        "nav_supervises": bool(roles & {Role.SUPERVISOR, Role.COORDINATOR}),
        "nav_administers": Role.ADMINISTRATOR in roles,
        # Counted only when the header shows it (one query), never for an in-place partial.
        "nav_inbox": SimpleLazyObject(lambda: inbox_count_for(user))
        if user is not None and user.is_authenticated
        else None,
    }
