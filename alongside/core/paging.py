"""Lists a page at a time: every list a page shows is paged (docs/architecture.md, rule 10).

A page with several lists pages each on its own parameter (the board's "not_eligible"), so
that turning one list's page keeps the others where they were (core/_pager.html keeps them).
"""

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def page_of(
    rows: QuerySet[Any] | Sequence[Any],
    request: HttpRequest,
    *,
    per_page: int,
    param: str = "page",
    count: int | None = None,
) -> Page[Any]:
    """The page of `rows` the request asks for in `param` (the first when it asks none, the
    last when it asks past the end): two queries for a queryset, its count and its rows, or
    one when the caller knows the `count` already."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        # A cached property: set before it is read, it is never counted.
        paginator.count = count
    return paginator.get_page(request.GET.get(param))
