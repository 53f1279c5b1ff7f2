"""A staff session: two-step sign-in before any staff page, and signed out when left unused.

Coordinators, supervisors and administrators (see `mfa.must_use_mfa`) without an authenticator
app are taken to set one up and reach nothing else until they have: the set-up pages, signing
out and the public pages stay open, and the API answers 403. A staff session unused for
STAFF_IDLE_MINUTES, or older than SESSION_COOKIE_AGE, is signed out and the sign-in page says why.
Supporters and referrers keep Django's own session limit.

The clocks live in the session and start at sign-in, so a request costs no query for them; the
session is written at most once a minute to move the idle clock on.
"""

from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypedDict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_htmx.http import HttpResponseClientRedirect

from alongside.accounts.mfa import has_authenticator_app, must_use_mfa
from alongside.accounts.models import User
from alongside.core.access import ACCESS_ATTRIBUTE, PROBE_ATTRIBUTE

SESSION_KEY = "alongside.staff_session"
# The idle clock moves on at most this often, so that pages do not write the session each time.
STAMP_EVERY_SECONDS = 60

# What a staff member without an authenticator app may still open (beside the public pages).
OPEN_WITHOUT_MFA = frozenset(
    {
        "account_login",
        "account_logout",
        "account_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_authenticate",
        "mfa_reauthenticate",
    }
)


class SessionClock(TypedDict):
    signed_in_at: float
    last_seen: float
    has_mfa: bool


def start_session_clock(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """On sign-in (user_logged_in): the idle and absolute clocks start; notes whether the
    account has an authenticator app, so that staff pages need not ask on every request."""
    now = timezone.now().timestamp()
    clock: SessionClock = {
        "signed_in_at": now,
        "last_seen": now,
        "has_mfa": has_authenticator_app(user),
    }
    request.session[SESSION_KEY] = clock


def signed_in_within(request: HttpRequest, *, seconds: float) -> bool:
    """Whether this session signed in (password, and code if any) less than `seconds` ago."""
    clock: SessionClock | None = request.session.get(SESSION_KEY)
    return clock is not None and timezone.now().timestamp() - clock["signed_in_at"] < seconds


class StaffSessionMiddleware:
    """Signs out idle staff sessions; sends staff without two-step sign-in to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., HttpResponse],
        view_args: Any,
        view_kwargs: Any,
    ) -> HttpResponse | None:
        if getattr(view, PROBE_ATTRIBUTE, False):
            return None
        user = request.user
        if not user.is_authenticated or not must_use_mfa(user):
            return None
        clock = _session_clock(request)
        reason = _why_the_session_ended(clock)
        if reason:
            logout(request)
            messages.info(request, reason)
            return _to_sign_in(request)
        _move_idle_clock_on(request, clock)
        if _has_mfa(request, user, clock) or _open_without_mfa(request, view):
            return None
        return _to_mfa_setup(request)


def _session_clock(request: HttpRequest) -> SessionClock:
    clock: SessionClock | None = request.session.get(SESSION_KEY)
    if clock is None:  # a session from before the clocks: it starts now
        now = timezone.now().timestamp()
        clock = {"signed_in_at": now, "last_seen": now, "has_mfa": False}
        request.session[SESSION_KEY] = clock
    return clock


def _why_the_session_ended(clock: SessionClock) -> str:
    """The sentence the sign-in page shows, or "" while the session may go on."""
    now = timezone.now().timestamp()
    idle_minutes = settings.STAFF_IDLE_MINUTES
    if now - clock["last_seen"] > idle_minutes * 60:
        return ngettext(
            "You were signed out because Alongside was not used for %(minutes)d minute. "
            "This keeps people's information safe on a computer left unattended. "
            "Sign in again to go on.",
            "You were signed out because Alongside was not used for %(minutes)d minutes. "
            "This keeps people's information safe on a computer left unattended. "
            "Sign in again to go on.",
            idle_minutes,
        ) % {"minutes": idle_minutes}
    hours = settings.SESSION_COOKIE_AGE // 3600
    if now - clock["signed_in_at"] > settings.SESSION_COOKIE_AGE:
        return ngettext(
            "You were signed out because you had been signed in for %(hours)d hour. "
            "Sign in again to go on.",
            "You were signed out because you had been signed in for %(hours)d hours. "
            "Sign in again to go on.",
            hours,
        ) % {"hours": hours}
    return ""


def _move_idle_clock_on(request: HttpRequest, clock: SessionClock) -> None:
    now = timezone.now().timestamp()
    if now - clock["last_seen"] >= STAMP_EVERY_SECONDS:
        clock["last_seen"] = now
        request.session[SESSION_KEY] = clock


def _has_mfa(request: HttpRequest, user: User, clock: SessionClock) -> bool:
    if clock["has_mfa"]:
        return True
    if has_authenticator_app(user):  # set up during this session
        clock["has_mfa"] = True
        request.session[SESSION_KEY] = clock
        return True
    return False


def _open_without_mfa(request: HttpRequest, view: Callable[..., HttpResponse]) -> bool:
    match = request.resolver_match
    return getattr(view, ACCESS_ATTRIBUTE, None) == "public" or (
        match is not None and match.view_name in OPEN_WITHOUT_MFA
    )


def _is_api(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "api" in match.namespaces


def _problem(status: int, detail: str) -> HttpResponse:
    """The API's answer as RFC 9457 problem details, as every API error is (api/problems.py)."""
    return JsonResponse(
        {
            "type": "about:blank",
            "title": HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
        },
        status=status,
        content_type="application/problem+json",
    )


def _to_sign_in(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _problem(401, _("Your session has ended. Sign in again."))
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
    if request.method == "GET":
        return redirect_to_login(request.get_full_path())
    return redirect(settings.LOGIN_URL)


def _to_mfa_setup(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _problem(
            403, _("Set up two-step sign-in before using the API: sign in on the website.")
        )
    setup = reverse("mfa_activate_totp")
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(setup)
    return redirect(setup)
