"""What the apps above matches add to a match's life, registered in their AppConfig.ready.

matches sits below matching, outcomes and safety, so it never imports them (docs/adr/0003):
matching registers the check that guards starting a match, outcomes sends its questionnaires at
a match's moments and shows them on the match page, safety raises an escalation when a contact
needs a coordinator. Each hook runs where the service called it, inside the service's
transaction: a hook that raises undoes the whole change, as the direct call did.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from alongside.core.hooks import Registry, merged

if TYPE_CHECKING:
    from alongside.accounts.models import User
    from alongside.intake.models import SupportRequest
    from alongside.matches.models import ContactLog, Match
    from alongside.supporters.models import Supporter


class Moment(StrEnum):
    """The moments of a match that other apps act on (outcomes sends questionnaires)."""

    STARTED = "start"
    MILESTONE = "milestone"
    CLOSED = "closure"


# Every hard constraint the pair breaks, in words; empty when they may be matched.
PairCheck = Callable[["SupportRequest", "Supporter"], tuple[str, ...]]
MomentHandler = Callable[["Match", Moment, int], object]
# (match, is_staff) -> extra context for the match page.
PagePanel = Callable[["Match", bool], dict[str, Any]]
CoordinatorNeeded = Callable[..., object]


@dataclass
class _Hooks:
    pair_checks: Registry[PairCheck] = field(default_factory=Registry)
    moments: Registry[MomentHandler] = field(default_factory=Registry)
    page_panels: Registry[PagePanel] = field(default_factory=Registry)
    coordinator_needed: Registry[CoordinatorNeeded] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_pair_check(check: PairCheck) -> None:
    HOOKS.pair_checks.add(check)


def on_moment(handler: MomentHandler) -> None:
    HOOKS.moments.add(handler)


def on_match_page(panel: PagePanel) -> None:
    HOOKS.page_panels.add(panel)


def on_coordinator_needed(handler: CoordinatorNeeded) -> None:
    HOOKS.coordinator_needed.add(handler)


def reasons_not_to_pair(support_request: "SupportRequest", supporter: "Supporter") -> list[str]:
    return [reason for check in HOOKS.pair_checks for reason in check(support_request, supporter)]


def match_reached(match: "Match", moment: Moment, month: int = 0) -> None:
    for handler in HOOKS.moments:
        handler(match, moment, month)


def match_page_context(match: "Match", *, is_staff: bool) -> dict[str, Any]:
    return merged(HOOKS.page_panels, match, is_staff)


def coordinator_needed(
    *,
    match: "Match",
    contact: "ContactLog",
    raised_by: "User",
    urgency: str,
    what_happened: str,
) -> None:
    for handler in HOOKS.coordinator_needed:
        handler(
            program=match.program,
            raised_by=raised_by,
            urgency=urgency,
            what_happened=what_happened,
            match=match,
            contact=contact,
        )
