"""Whose address bounced: the page of the person, found by the apps above notifications.

notifications knows messages, not the domains that send them (the import contracts): intake
finds a peer's request by their address, supporters a supporter by their account, each
registered from its AppConfig.ready. The coordinators' list links each mark to that page, where
the person's address is updated.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from alongside.core.hooks import Registry

if TYPE_CHECKING:
    from alongside.accounts.models import User
    from alongside.programs.models import Program

# (program, channel "email" or "sms", address, the recipient's account or None) -> the path of
# the person's page in that program, or "" when this app does not know them.
PersonPageFinder = Callable[["Program", str, str, "User | None"], str]


@dataclass
class _Hooks:
    person_pages: Registry[PersonPageFinder] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_person_page(finder: PersonPageFinder) -> None:
    HOOKS.person_pages.add(finder)


def person_page(program: "Program", channel: str, address: str, user: "User | None") -> str:
    """The first page a registered app finds for the person; "" when none does."""
    for finder in HOOKS.person_pages:
        page = finder(program, channel, address, user)
        if page:
            return page
    return ""
