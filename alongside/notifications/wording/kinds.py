"""Every kind of message the apps send, as the wording pages list them.

Each app declares its kinds in its own `messages.py`, with a `TOPIC` naming them in plain
language. notifications knows messages, not the domains that send them (the import contracts):
it finds those modules by name among the installed apps, as Django's autodiscovery finds
`admin.py`, and never imports a domain.
"""

from dataclasses import dataclass
from functools import cache
from importlib import import_module

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils.functional import Promise
from django.utils.module_loading import module_has_submodule

from alongside.notifications.notify import MessageKind

MESSAGES_MODULE = "messages"


@dataclass(frozen=True)
class Topic:
    """One app's kinds of message, under the name its `messages.py` gives them."""

    title: str | Promise
    kinds: tuple[MessageKind, ...]


@cache
def topics() -> tuple[Topic, ...]:
    """Every app's kinds of message, in the order of the installed apps and of their modules.

    Raises ImproperlyConfigured when two kinds share a wording key: a program's wording for one
    would be sent in place of the other.
    """
    found = [
        Topic(title=getattr(module, "TOPIC", ""), kinds=kinds)
        for module in messages_modules()
        if (kinds := _kinds_in(module))
    ]
    keys = [kind.key for topic in found for kind in topic.kinds]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:
        raise ImproperlyConfigured(
            f"Kinds of message share a wording key: {', '.join(repeated)}. "
            "Give each its own wording_key."
        )
    return tuple(found)


def all_kinds() -> list[MessageKind]:
    return [kind for topic in topics() for kind in topic.kinds]


def kind_or_404(key: str) -> MessageKind:
    """The kind whose wording key this is (404 for a key no app sends)."""
    for kind in all_kinds():
        if kind.key == key:
            return kind
    raise Http404


def messages_modules() -> list[object]:
    return [
        import_module(f"{app.name}.{MESSAGES_MODULE}")
        for app in apps.get_app_configs()
        if app.name.startswith("alongside.") and module_has_submodule(app.module, MESSAGES_MODULE)
    ]


def _kinds_in(module: object) -> tuple[MessageKind, ...]:
    """The module's kinds in the order it declares them, each once."""
    kinds: dict[int, MessageKind] = {}
    for value in vars(module).values():
        if isinstance(value, MessageKind):
            kinds.setdefault(id(value), value)
    return tuple(kinds.values())
