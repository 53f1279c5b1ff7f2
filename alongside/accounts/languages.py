"""Every page, and every message, in its reader's own language.

A signed-in person reads every page in their account's language (User.language), wherever they
sign in: they choose it on "Your account", or with the header's language buttons, which change
the same choice (accounts.views.set_language). A visitor reads the language the header's buttons
chose on that device (a cookie), else the one their browser asks for, as Django's
LocaleMiddleware decides. Messages follow the same languages (notifications.notify).
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation


def site_language(code: str) -> str:
    """The language of the site's own that serves a language code: itself, or its regional
    variant ("fr", as a program lists French, is "fr-ca"); "" when the site has none (Spanish)."""
    if not code:
        return ""
    try:
        return translation.get_supported_language_variant(code)
    except LookupError:
        return ""


class ViewerLanguageMiddleware:
    """Activates a signed-in person's own language for the request (after authentication)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            language = site_language(user.language)
            if language:
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
