"""The signed-in side of every view's audience: `@signed_in(...)` decides by role, which accounts
owns (`alongside/core/access.py` keeps `@public` and the mark that tests/test_access.py reads).

`@signed_in(...)` requires a signed-in user who holds one of the roles in at least one program;
the view still fetches each object through its app's `permissions.get_<thing>_for(user, id)`,
which answers 404 outside the user's programs.
"""

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of
from alongside.core.access import ACCESS_ATTRIBUTE

if TYPE_CHECKING:

    class AuthenticatedRequest(HttpRequest):
        user: User
        htmx: HtmxDetails

else:
    AuthenticatedRequest = HttpRequest


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


type View = Callable[..., HttpResponse]


def confirm_it_is_them(**options: Any) -> Callable[[View], View]:
    """allauth's `reauthentication_required` (asks for the password again when the last
    sign-in is not recent), typed: the view it wraps, unchanged. `options` are allauth's
    (`enabled=`, `allow_get=`)."""
    from allauth.account.decorators import reauthentication_required

    return cast(Callable[[View], View], reauthentication_required(**options))
