"""The registry behind every app's `hooks.py` (docs/adr/0003).

A lower app declares each moment of its work as a `Registry` of handlers; each app above adds
its handler from its AppConfig.ready, and the lower app runs them, never knowing who listens.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any


class Registry[Hook]:
    """The handlers registered for one moment, in the order they were added."""

    def __init__(self) -> None:
        self._hooks: list[Hook] = []

    def add(self, hook: Hook) -> None:
        """Register `hook`; adding it again changes nothing (ready() may run twice in tests)."""
        if hook not in self._hooks:
            self._hooks.append(hook)

    def __iter__(self) -> Iterator[Hook]:
        return iter(list(self._hooks))

    def __len__(self) -> int:
        return len(self._hooks)


def merged(panels: Iterable[Callable[..., Mapping[str, Any]]], *args: Any) -> dict[str, Any]:
    """What every registered panel adds to a page's context, called with `args`; a later
    panel's name wins over an earlier one's."""
    context: dict[str, Any] = {}
    for panel in panels:
        context |= panel(*args)
    return context
