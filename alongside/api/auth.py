"""Who is calling: a signed-in person (their session, with CSRF on unsafe methods as ninja
checks it) or a token (`Authorization: Bearer alg_…`), which acts as its creator narrowed to
its program and its scopes (ADR 0015).

A token is checked, counted against its rate limit and audited before the operation runs; the
operation then asks `caller_for(request, scope)` for the caller, which refuses a token without
the scope, and narrows what it reads with `Caller.narrow`.
"""

import math
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage
from ninja.security import HttpBearer, django_auth

from alongside.accounts.models import STAFF_ROLES, User
from alongside.api.models import ApiToken, Scope
from alongside.api.problems import ProblemError
from alongside.api.tokens import TokenRefusedError, note_use, record_call, token_in_force
from alongside.programs.queries import holds_role_in


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        try:
            found = token_in_force(token)
        except TokenRefusedError as refused:
            raise ProblemError(
                401, refused.message, headers={"WWW-Authenticate": "Bearer"}
            ) from None
        _count_against_rate_limit(request, found)
        note_use(found)
        record_call(found, method=request.method or "", path=request.path)
        return found


def _count_against_rate_limit(request: HttpRequest, token: ApiToken) -> None:
    """django-ratelimit's counter for the token, in the shared cache every server reads."""
    usage = get_usage(
        request,
        group="api.token",
        key=lambda _group, _request: str(token.pk),
        rate=f"{settings.API_TOKEN_RATE_LIMIT}/m",
        increment=True,
    )
    if usage is not None and usage["should_limit"]:
        wait = max(1, math.ceil(usage["time_left"]))
        raise ProblemError(
            429,
            _("This token made too many calls. Try again in %(seconds)s seconds.")
            % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )


# A token first; else the session.
AUTH = [TokenAuth(), django_auth]


@dataclass(frozen=True)
class Caller:
    """Whom an operation acts for: the person, and the token's program when a token calls."""

    user: User
    token: ApiToken | None = None

    @property
    def program_id(self) -> int | None:
        return self.token.program_id if self.token else None

    @property
    def owner(self) -> str:
        """Whose idempotency keys these are."""
        return f"token:{self.token.pk}" if self.token else f"user:{self.user.pk}"

    def narrow[M: Model](self, rows: QuerySet[M], field: str = "program_id") -> QuerySet[M]:
        """The rows the pages' query found for the person, within the token's program."""
        return rows if self.token is None else rows.filter(**{field: self.token.program_id})

    def reaches_program(self, program_id: int) -> bool:
        return self.token is None or self.token.program_id == program_id


def caller_for(request: HttpRequest, scope: Scope) -> Caller:
    """The caller of an operation that needs `scope` (a 403 problem for a token without it)."""
    auth: Any = getattr(request, "auth", None)
    if not isinstance(auth, ApiToken):
        return Caller(user=request.user)  # type: ignore[arg-type]
    if scope not in auth.scopes:
        raise ProblemError(
            403,
            _("This token may not do this: it needs the scope %(scope)s.") % {"scope": scope.value},
        )
    # Fail closed: the token never outlives its creator's place on the program's team.
    if not holds_role_in(auth.created_by, STAFF_ROLES, auth.program_id):
        raise ProblemError(
            403,
            _("The person who made this token no longer coordinates or administers the program."),
        )
    return Caller(user=auth.created_by, token=auth)


def documented_scope(scope: Scope) -> dict[str, Any]:
    """The scope an operation needs, in the schema (`openapi_extra=`)."""
    return {"x-scope": scope.value}
