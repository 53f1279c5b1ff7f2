"""Each request's id: on every log line it causes, in its error report and on its response.

The id is the reverse proxy's (`X-Request-ID`, nginx's `$request_id`) when the request came
through one of ALONGSIDE_TRUSTED_PROXIES, so the proxy's access log and ours share it; from
anyone else the header is ignored, as X-Forwarded-For is (alongside.core.addresses): a client
could otherwise put the id of another person's request, or text of its own, in our logs. A
header that is not 8 to 128 letters, digits, dots, underscores or hyphens is ignored too.
Otherwise the id is a new random one.
"""

import re
import uuid

from django.http import HttpRequest
from python_ipware.modern.parsers import parse_ip

from alongside.core.addresses import is_trusted_proxy

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
WELL_FORMED = re.compile(r"[A-Za-z0-9._-]{8,128}")


def request_id_for(request: HttpRequest) -> str:
    """The trusted proxy's id for this request when it sent a well-formed one; else a new one."""
    offered = request.META.get(META_KEY, "")
    if (
        offered
        and WELL_FORMED.fullmatch(offered)
        and is_trusted_proxy(parse_ip(request.META.get("REMOTE_ADDR") or ""))
    ):
        return str(offered)
    return uuid.uuid4().hex
