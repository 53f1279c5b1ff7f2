"""The probes: /health/live for whatever restarts the process or sends it traffic, /health/ready
for monitoring (every app server shares what it checks, so when it fails it fails on all of
them). Both answer anyone, over plain HTTP too (SECURE_REDIRECT_EXEMPT), outside sessions and
sign-in, and never hold a person's data."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from alongside.core.access import PublicRequest, probe
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
