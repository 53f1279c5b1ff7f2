"""Every view declares who may use it; tests/test_access.py checks that none is left out.

`@public` marks a page anyone may open. `@signed_in(...)`, which decides by role, lives with the
roles in `alongside/accounts/access.py`; both mark the view with `ACCESS_ATTRIBUTE`.
"""

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django_htmx.middleware import HtmxDetails
from django_ratelimit.core import get_usage

if TYPE_CHECKING:

    class PublicRequest(HttpRequest):
        htmx: HtmxDetails

else:
    PublicRequest = HttpRequest


ACCESS_ATTRIBUTE = "alongside_access"
# A machine's check (a load balancer's, a supervisor's): outside sessions, sign-in and idling.
PROBE_ATTRIBUTE = "alongside_probe"


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


def probe[View: Callable[..., HttpResponse]](view: View) -> View:
    """A health check for machines: public, and left alone by the staff session's sign-in and
    idle rules (a probe has no session; a staff member's browser opening it keeps theirs)."""
    setattr(view, PROBE_ATTRIBUTE, True)
    return public(view)
