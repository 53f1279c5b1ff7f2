"""The lists that can be exported: every `ListDefinition`, wherever an app defines it.

A list is known by its name from the moment its module is imported (`core.lists.defined_lists`);
the URL configuration imports every page's module, hence every list, before a view runs. So a
new list is exportable the day it is defined, through the same definition as its page, with
nothing to register here.
"""

from django.http import Http404
from django.urls import get_resolver

from alongside.core.lists import ListDefinition, defined_lists


def exportable_lists() -> dict[str, ListDefinition]:
    get_resolver().url_patterns  # noqa: B018  (loads every URLconf, hence every list's module)
    return defined_lists()


def list_named(name: str) -> ListDefinition:
    definition = exportable_lists().get(name)
    if definition is None:
        raise Http404
    return definition
