"""Error reports to Sentry, when SENTRY_DSN is set (config/settings.py starts them).

Alongside holds health and crisis details: none of it may leave with an error report. So the SDK
is told to send no personal data (no user, no client address, no cookies), no request bodies
and no local variables of the failing frames, and `before_send` takes out whatever an
integration still adds (the request's body, cookies, query string and headers but a few, the
user, breadcrumbs' data) before an event leaves. Each event is tagged with its request's id, so
it can be found in the logs.
"""

from typing import Any, cast

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration
from sentry_sdk.types import Event, Hint
from sentry_sdk.utils import BadDsn, Dsn

from alongside.core.request_log import NO_REQUEST, current_request_id

# The only request headers an event keeps: none can hold a person's data or a credential.
KEPT_HEADERS = frozenset({"host", "user-agent", "content-type", "content-length", "x-request-id"})


def dsn_problem(dsn: str) -> str | None:
    """What is wrong with `dsn`, in Sentry's words; None when it can be used."""
    try:
        Dsn(dsn)
    except BadDsn as error:
        return str(error)
    return None


def start_error_reports(*, dsn: str, environment: str, release: str | None) -> bool:
    """Start the Sentry SDK; False, without starting it, when the DSN is malformed (the system
    check alongside.E024 then refuses to start)."""
    if dsn_problem(dsn) is not None:
        return False
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        integrations=[DjangoIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=before_send,
        before_send_transaction=before_send,
    )
    return True


def before_send(event: Event, hint: Hint) -> Event:
    """The event without anything that can hold a person's data, tagged with the request id."""
    data = cast(dict[str, Any], event)
    request = data.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
        headers = request.get("headers")
        if isinstance(headers, dict):
            request["headers"] = {
                name: value for name, value in headers.items() if name.lower() in KEPT_HEADERS
            }
    data.pop("user", None)
    breadcrumbs = data.get("breadcrumbs")
    values = breadcrumbs.get("values") if isinstance(breadcrumbs, dict) else breadcrumbs
    if isinstance(values, list):
        for breadcrumb in values:
            if isinstance(breadcrumb, dict):
                breadcrumb.pop("data", None)
    request_id = current_request_id.get()
    if request_id != NO_REQUEST:
        data.setdefault("tags", {})["request_id"] = request_id
    return event
