"""API tokens: issued by a program's staff, shown once, kept as a hash, revoked (ADR 0015).

A token is its creator's access narrowed to one program and its scopes. Whether it reaches a
row is asked of the creator's roles at every call, by the same queries the pages run, so a
creator who loses their role leaves their tokens seeing nothing.
"""

import datetime as dt
import hashlib
import secrets
from collections.abc import Collection
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from alongside.accounts.models import STAFF_ROLES, User
from alongside.api.models import ApiToken, Scope
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.programs.models import Program
from alongside.programs.queries import holds_role_in

TOKEN_START = "alg_"  # noqa: S105 (the public start of every token, not a secret)
# The characters shown in lists: the start and 8 random characters, too few to guess the rest.
PREFIX_LENGTH = len(TOKEN_START) + 8
MOST_DAYS = 366
# Last used is written at most this often for one token: a busy token costs no write a call.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def hash_of(raw_token: str) -> str:
    """sha256 of the token, hex. The token has 256 random bits: no salt or slow hash needed."""
    return hashlib.sha256(raw_token.encode()).hexdigest()


def may_manage_tokens(user: User, program: Program) -> bool:
    return holds_role_in(user, STAFF_ROLES, program.pk)


def last_day_allowed(program: Program, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(program.time_zone)).date() + dt.timedelta(days=MOST_DAYS - 1)


def _end_of_day(program: Program, day: dt.date) -> dt.datetime:
    start_next = dt.datetime.combine(
        day + dt.timedelta(days=1), dt.time(), ZoneInfo(program.time_zone)
    )
    return start_next.astimezone(dt.UTC)


@transaction.atomic
def issue_token(
    *,
    program: Program,
    created_by: User,
    name: str,
    scopes: Collection[str],
    expires_on: dt.date,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token and its secret, which is shown once and never stored."""
    now = now or timezone.now()
    if not may_manage_tokens(created_by, program):
        raise DomainError(_("Only the program's coordinators and administrators make its tokens."))
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the token a name, such as the system that will use it."))
    unknown = set(scopes) - set(Scope.values)
    if not scopes or unknown:
        raise DomainError(_("Choose at least one thing the token may do."))
    today = now.astimezone(ZoneInfo(program.time_zone)).date()
    if expires_on < today:
        raise DomainError(_("Choose an expiry date from today on."))
    if expires_on > last_day_allowed(program, now):
        raise DomainError(_("A token lasts at most a year: choose an earlier expiry date."))
    raw = TOKEN_START + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        program=program,
        created_by=created_by,
        name=name,
        prefix=raw[:PREFIX_LENGTH],
        token_hash=hash_of(raw),
        scopes=[scope for scope in Scope.values if scope in scopes],
        expires_at=_end_of_day(program, expires_on),
    )
    record_event(
        actor=created_by,
        action="api.token.created",
        target=token,
        data={"name": name, "scopes": token.scopes, "expires_at": token.expires_at.isoformat()},
    )
    return token, raw


@transaction.atomic
def revoke_token(*, token: ApiToken, revoked_by: User, now: dt.datetime | None = None) -> bool:
    """Revoke the token at once; False when it was already revoked (nothing recorded)."""
    now = now or timezone.now()
    if not may_manage_tokens(revoked_by, token.program):
        raise DomainError(
            _("Only the program's coordinators and administrators revoke its tokens.")
        )
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=revoked_by
    )
    if changed:
        token.revoked_at, token.revoked_by = now, revoked_by
        record_event(
            actor=revoked_by, action="api.token.revoked", target=token, data={"name": token.name}
        )
    return bool(changed)


class TokenRefusedError(Exception):
    """A token that cannot be used; the message says why, for the caller."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


def token_in_force(raw_token: str, *, now: dt.datetime | None = None) -> ApiToken:
    """The token a caller sent, if it may be used now (TokenRefusedError otherwise)."""
    now = now or timezone.now()
    token = (
        ApiToken.objects.select_related("created_by", "program")
        .filter(token_hash=hash_of(raw_token))
        .first()
    )
    if token is None:
        raise TokenRefusedError(_("This token is not known."))
    if token.revoked_at is not None:
        raise TokenRefusedError(_("This token was revoked."))
    if token.expires_at <= now:
        raise TokenRefusedError(_("This token has expired."))
    if not token.created_by.is_active or not token.program.is_active:
        raise TokenRefusedError(_("This token's program or its creator's account is closed."))
    return token


def note_use(token: ApiToken, *, now: dt.datetime | None = None) -> None:
    """Keep when the token was last used, written at most once a minute (one cheap UPDATE)."""
    now = now or timezone.now()
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_EVERY), pk=token.pk
    ).update(last_used_at=now)


def record_call(token: ApiToken, *, method: str, path: str) -> None:
    """Every call made with a token is audited under its creator, naming the token."""
    record_event(
        actor=token.created_by,
        action="api.token.used",
        target=token,
        data={"token": token.name, "prefix": token.prefix, "method": method, "path": path},
    )
