from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from alongside.core.addresses import client_address
from alongside.core.audit import request_origin


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
