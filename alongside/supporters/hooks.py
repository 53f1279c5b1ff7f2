"""What the apps above supporters add to a supporter's page, registered in their AppConfig.ready.

supporters sits below intake, matches and matching, so it never imports them (docs/adr/0003):
matching adds the form that matches this supporter with a waiting request, by hand.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alongside.supporters.models import Supporter

# supporter -> extra context for the supporter's page.
PagePanel = Callable[["Supporter"], dict[str, Any]]


@dataclass
class _Hooks:
    page_panels: list[PagePanel] = field(default_factory=list)


HOOKS = _Hooks()


def on_supporter_page(panel: PagePanel) -> None:
    if panel not in HOOKS.page_panels:  # ready() may run twice in tests
        HOOKS.page_panels.append(panel)


def supporter_page_context(supporter: "Supporter") -> dict[str, Any]:
    """What every registered app adds to the supporter's page."""
    context: dict[str, Any] = {}
    for panel in HOOKS.page_panels:
        context |= panel(supporter)
    return context
