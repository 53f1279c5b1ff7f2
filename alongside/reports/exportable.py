"""The lists that can be exported: every `ListDefinition` an app declares in its `lists.py`.

Found as the periodic jobs are (`periodic/registry.py`), so a new list is exportable the day it
is defined, through the same definition as its page, with nothing to register here.
"""

from functools import cache
from importlib import import_module

from django.apps import apps
from django.http import Http404
from django.utils.module_loading import module_has_submodule

from alongside.core.lists import ListDefinition


@cache
def exportable_lists() -> dict[str, ListDefinition]:
    """Every app's lists, by name, in the order of INSTALLED_APPS."""
    found: dict[str, ListDefinition] = {}
    for config in apps.get_app_configs():
        if not config.name.startswith("alongside.") or config.module is None:
            continue
        if not module_has_submodule(config.module, "lists"):
            continue
        module = import_module(f"{config.name}.lists")
        for value in vars(module).values():
            if isinstance(value, ListDefinition):
                if found.get(value.name, value) is not value:
                    raise ValueError(f"Two lists share the name {value.name!r}.")
                found[value.name] = value
    return found


def list_named(name: str) -> ListDefinition:
    definition = exportable_lists().get(name)
    if definition is None:
        raise Http404
    return definition
