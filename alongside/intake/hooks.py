"""What the apps above intake add to a request, registered in their AppConfig.ready.

intake sits below matching and safety, so it never imports them (docs/adr/0003): safety raises
an urgent escalation when a new request's crisis screening signals a crisis and shows it on the
page after a call; matching adds the shortlist, the open proposal and the conflict form to the
request page, and answers "why not this person?" in place on it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse

from alongside.core.hooks import Registry, merged

if TYPE_CHECKING:
    from alongside.intake.models import SupportRequest

# (new request, the crisis answers it signalled: (question, answer) pairs) -> anything.
CrisisHandler = Callable[["SupportRequest", list[tuple[str, str]]], object]
# (request) -> extra context for the page after a call.
CallPanel = Callable[["SupportRequest"], dict[str, Any]]
# (http request, request) -> extra context for the staff's request page.
PagePanel = Callable[[HttpRequest, "SupportRequest"], dict[str, Any]]
# (http request, request) -> a part of the request page answered in place, or None if not theirs.
InPlace = Callable[[HttpRequest, "SupportRequest"], HttpResponse | None]


@dataclass
class _Hooks:
    crisis_handlers: Registry[CrisisHandler] = field(default_factory=Registry)
    call_panels: Registry[CallPanel] = field(default_factory=Registry)
    page_panels: Registry[PagePanel] = field(default_factory=Registry)
    in_place: Registry[InPlace] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_crisis_signalled(handler: CrisisHandler) -> None:
    HOOKS.crisis_handlers.add(handler)


def on_call_taken_page(panel: CallPanel) -> None:
    HOOKS.call_panels.add(panel)


def on_request_page(panel: PagePanel, *, in_place: InPlace | None = None) -> None:
    HOOKS.page_panels.add(panel)
    if in_place is not None:
        HOOKS.in_place.add(in_place)


def crisis_signalled(support_request: "SupportRequest", answers: list[tuple[str, str]]) -> None:
    """Tells every registered app that a new request signalled a crisis (safety escalates)."""
    if not HOOKS.crisis_handlers:
        raise RuntimeError("No app handles a crisis: is alongside.safety installed?")
    for handler in HOOKS.crisis_handlers:
        handler(support_request, answers)


def call_taken_context(support_request: "SupportRequest") -> dict[str, Any]:
    return merged(HOOKS.call_panels, support_request)


def request_page_context(request: HttpRequest, support_request: "SupportRequest") -> dict[str, Any]:
    return merged(HOOKS.page_panels, request, support_request)


def request_page_in_place(
    request: HttpRequest, support_request: "SupportRequest"
) -> HttpResponse | None:
    """The part of the page an app answers in place (htmx), or None: render the whole page."""
    for part in HOOKS.in_place:
        response = part(request, support_request)
        if response is not None:
            return response
    return None
