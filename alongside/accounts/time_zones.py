"""Every page in the reader's own time zone.

A signed-in person reads times in the zone they chose on "Your account", else in their first
program's, else in the installation's (settings.TIME_ZONE). Forms read the times people type in
the same zone, so a contact entered at 20:21 is 20:21 where it was entered, and shows at the
right moment to a reader anywhere else.
"""

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from alongside.accounts.queries import time_zone_of


def zone_for(request: HttpRequest) -> zoneinfo.ZoneInfo:
    """The zone this request's pages are shown in."""
    user = getattr(request, "user", None)
    name = time_zone_of(user) if user is not None and user.is_authenticated else ""
    try:
        return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):  # a zone since removed from tzdata
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


class ViewerTimeZoneMiddleware:
    """Activates the reader's time zone for the request (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with timezone.override(zone_for(request)):
            return self.get_response(request)
