"""API tokens and the idempotency keys of the calls made through the API (ADR 0015).

A token is its creator's access narrowed to one program and a few scopes: the API runs the
same queries for it as the pages run for that person, in that program only. Only a hash of
the token is kept; its first characters (`prefix`) identify it in lists and the audit log.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do; each API operation declares the one it needs."""

    READ_REQUESTS = "read:requests", _("Read waiting requests and their suggestions")
    READ_MATCHES = "read:matches", _("Read matches")
    READ_REPORTS = "read:reports", _("Read reports' figures")
    READ_PROGRAMS = "read:programs", _("Read the program's public settings and resource directory")
    READ_SUPPORTERS = "read:supporters", _("Read supporters' status and capacity")
    READ_SAFETY = "read:safety", _("Read escalations' states and times")
    WRITE_REFERRALS = "write:referrals", _("Send referrals")
    WRITE_REQUESTS = "write:requests", _("Send requests for support")
    WRITE_CONTACTS = "write:contacts", _("Log contacts and hours")


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def in_force(self, now: dt.datetime) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    program = models.ForeignKey(
        "programs.Program", verbose_name=_("program"), on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, not secret: enough to tell one token from another.
    prefix = models.CharField(_("starts with"), max_length=16)
    # sha256 of the whole token, hex: the token itself is never stored.
    token_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["program", "-created_at"], name="api_token_program_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def last_day(self) -> dt.date:
        """The last day it works, in the program's zone (it stops at that day's end)."""
        last_moment = self.expires_at - dt.timedelta(microseconds=1)
        return last_moment.astimezone(ZoneInfo(self.program.time_zone)).date()

    def scope_labels(self) -> list[str]:
        return [str(Scope(scope).label) for scope in self.scopes if scope in Scope.values]


class IdempotencyKey(models.Model):
    """A POST's `Idempotency-Key` and the response it got, kept a day (ADR 0015): the same key
    sent again with the same body gets the same response, and nothing is done twice."""

    # Whose key: "token:<id>" or "user:<id>"; two callers may use the same key.
    owner = models.CharField(max_length=40)
    key = models.CharField(max_length=255)
    # The operation and a hash of its body, to refuse the key with another request.
    operation = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    # 0 while the first request is being answered.
    status_code = models.PositiveSmallIntegerField(default=0)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "key"], name="api_idempotency_key_unique")
        ]

    def __str__(self) -> str:
        return f"{self.owner} {self.key}"
