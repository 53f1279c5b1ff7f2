"""Every view declares who may use it; tests/test_access.py checks that none is left out.

`@public` marks a page anyone may open. `@signed_in(...)` requires a signed-in user who holds
one of the roles in at least one program; the view still fetches each object through its app's
`permissions.get_<thing>_for(user, id)`, which answers 404 outside the user's programs.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails
from django_ratelimit.core import get_usage

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of

if TYPE_CHECKING:

    class AuthenticatedRequest(HttpRequest):
        user: User
        htmx: HtmxDetails

    class PublicRequest(HttpRequest):
        htmx: HtmxDetails

else:
    AuthenticatedRequest = HttpRequest
    PublicRequest = HttpRequest


ACCESS_ATTRIBUTE = "alongside_access"


def public_form_used_up(
    request: PublicRequest, group: str, *, count_this_one: bool, allowance: int = 1
) -> bool:
    """Whether this address has sent one public form as often as it may this hour
    (PUBLIC_FORM_RATE_LIMIT times `allowance`); counts this submission first when asked.
    The address is `client_address` (RATELIMIT_IP_META_KEY); the counter lives in the "shared"
    cache (RATELIMIT_USE_CACHE), which every process and app server reads."""
    usage = get_usage(
        request,
        group=group,
        key="ip",
        rate=f"{settings.PUBLIC_FORM_RATE_LIMIT * allowance}/h",
        method="POST",
        increment=count_this_one,
    )
    return usage is not None and usage["count"] >= usage["limit"]


def public[View: Callable[..., HttpResponse]](view: View) -> View:
    """Anyone may open this page, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, "public")
    return view


def signed_in[View: Callable[..., HttpResponse]](*roles: Role) -> Callable[[View], View]:
    """Only signed-in users holding one of `roles` (any role when none is named)."""

    def decorate(view: View) -> View:
        @wraps(view)
        def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if roles and not roles_of(request.user) & set(roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(guarded, ACCESS_ATTRIBUTE, tuple(roles) or "signed_in")
        return guarded  # type: ignore[return-value]

    return decorate
