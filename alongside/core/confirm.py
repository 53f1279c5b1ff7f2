"""Asking before an action that sends messages or cannot be undone, without JavaScript.

The action's button on its page is a link to the action's own URL: a GET there answers this
page, which says plainly what will happen and who hears of it, with the one form that does it
(POST, pressed once) and a way back. The view then acts on POST only; a second POST finds the
work done and says so instead of doing it again.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GO_BACK = _("Go back without doing it")


@dataclass(frozen=True)
class Confirmation:
    title: str | Promise
    happens: Sequence[str | Promise]  # what will happen, and who hears of it, one line each
    button: str | Promise
    back_url: str
    back_label: str | Promise = GO_BACK
    lead: str | Promise = ""
    carry: Mapping[str, str] = field(default_factory=dict)  # hidden fields the POST takes on
    danger: bool = False


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page asking to confirm; it changes nothing."""
    return render(request, "core/confirm.html", {"confirmation": confirmation})
