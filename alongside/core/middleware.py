import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from alongside.core.addresses import client_address
from alongside.core.audit import request_origin
from alongside.core.metrics import record_request
from alongside.core.request_id import HEADER, request_id_for
from alongside.core.request_log import current_request_id


class RequestOriginMiddleware:
    """Remembers where the current request comes from (behind a trusted proxy, the client
    it forwards for), for audit events."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request_origin.set(client_address(request))
        try:
            return self.get_response(request)
        finally:
            request_origin.reset(token)


class RequestIdMiddleware:
    """Gives the request its id (alongside.core.request_id) for the log lines and error report
    it causes, and hands it back on the response. First in MIDDLEWARE, so every line has it.

    The id is not taken back when the response leaves the middleware: Django logs a 4xx or 5xx
    answer after it (`Not Found: /path`). It goes when the request is finished
    (`forget_request_id` on request_finished, in CoreConfig.ready), and the next request in the
    thread sets its own anyway."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = request_id_for(request)
        current_request_id.set(request_id)
        response = self.get_response(request)
        response[HEADER] = request_id
        return response


class RequestMetricsMiddleware:
    """Times each request for /health/metrics, labelled with its view's URL name, never its
    path (alongside.core.metrics)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = request.resolver_match
        record_request(
            view=(match.view_name or match.route) if match is not None else None,
            method=request.method or "",
            status=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response
