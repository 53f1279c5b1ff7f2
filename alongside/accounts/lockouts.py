"""How django-axes counts failed sign-ins and what a locked-out person sees.

allauth hands the credentials over as {"email": …, "password": …}; axes is told to read the
e-mail from there (AXES_USERNAME_CALLABLE), so each failure counts against the e-mail that was
typed, from the client's address (AXES_CLIENT_IP_CALLABLE), and a lockout holds for that pair
only (AXES_LOCKOUT_PARAMETERS).
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from alongside.accounts.queries import lockout_ends_at
from alongside.core.addresses import client_address

# Where the typed e-mail may be: allauth's credentials, axes' own (after a successful sign-in it
# passes {AXES_USERNAME_FORM_FIELD: the account's e-mail}), then the form as posted.
CREDENTIAL_KEYS = ("email", "login", "username")


def typed_email(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the typed e-mail, trimmed and in lower case, or None."""
    for key in CREDENTIAL_KEYS:
        value = (credentials or {}).get(key)
        if isinstance(value, str) and value.strip():
            return value.strip().lower()
    posted = request.POST.get("login", "") if request is not None else ""
    return posted.strip().lower() or None


def locked_out_page(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: a page in the site's layout saying what happened and for how long."""
    ends_at = lockout_ends_at(
        typed_email=typed_email(request, credentials), address=client_address(request)
    )
    minutes_left = (
        max(1, -(-int((ends_at - timezone.now()).total_seconds()) // 60)) if ends_at else None
    )
    return render(
        request,
        "account/locked_out.html",
        {"ends_at": ends_at, "minutes_left": minutes_left},
        status=429,
    )
