"""The addresses of a paged list's pages (core/_pager.html)."""

from django import template
from django.template import Context

register = template.Library()


@register.simple_tag(takes_context=True)
def page_address(context: Context, number: int) -> str:
    """This page's address showing page `number` of the list: in the `param` the pager was
    included with, else "page"; the page's other parameters (a filter, another list's page)
    kept as they are."""
    query = context["request"].GET.copy()
    query[context.get("param") or "page"] = number
    return f"?{query.urlencode()}"
