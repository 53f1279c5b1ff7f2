"""The probes: /health/live for whatever restarts the process or sends it traffic, /health/ready
for monitoring (every app server shares what it checks, so when it fails it fails on all of
them). Both answer anyone, over plain HTTP too (SECURE_REDIRECT_EXEMPT), outside sessions and
sign-in, and never hold a person's data. /health/metrics answers Prometheus, which shows its
token (docs/adr/0011)."""

import hmac

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from alongside.core.access import PublicRequest, probe
from alongside.core.metrics import exposition
from alongside.health.readiness import readiness


@probe
@require_safe
@never_cache
def live(request: PublicRequest) -> HttpResponse:
    """The process answers: nothing else is asked, so a database that is down never has the
    app servers restarted for nothing."""
    return JsonResponse({"status": "ok"})


@probe
@require_safe
@never_cache
def ready(request: PublicRequest) -> HttpResponse:
    """200 when every check passes; 503 naming the ones that fail."""
    report = readiness()
    return JsonResponse(report.as_json(), status=200 if report.ok else 503)


@probe
@require_safe
@never_cache
def metrics(request: PublicRequest) -> HttpResponse:
    """The metrics in Prometheus' text format, to `Authorization: Bearer <the metrics token>`.

    Without a token set the page is not there (404), in production as in development: it is
    never open. A wrong or missing token gets 403, so an operator setting up the scrape sees
    that the token, not the address, is wrong; the address is no secret (the code is public).
    """
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _, offered = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        offered.strip().encode(), expected.encode()
    ):
        return HttpResponse(status=403)
    return HttpResponse(
        exposition(directory=settings.METRICS_DIR), content_type=CONTENT_TYPE_LATEST
    )
