"""Answers for the actions that update their page in place with htmx.

The view decides: `request.htmx` gets the partial that changed, a plain request the full page or
its redirect. The page's messages go with the partial, into the live region every page keeps
(`base.html#messages`), so a screen reader hears them as it would after a full page.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string


def render_in_place(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """The partial `template_name` ("page.html#part"), followed by the waiting messages."""
    response = render(request, template_name, context)
    response.write(render_to_string("base.html#messages-in-place", request=request))
    return response
