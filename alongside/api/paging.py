"""Cursor pagination for every list of the API: `limit` (1 to 200, 50 unless asked) and an
opaque `cursor` from the page before.

A list is ordered by one of the fields it offers (`ordering`, "-" first for the latest first)
and then by id, so the cursor is the last row's value and id (a keyset): a page costs one
indexed query however deep it is, and rows added meanwhile never repeat one. The cursor is
signed, so a cursor changed by hand, or given with another ordering, is a 422 problem, never
a 500.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from alongside.api.problems import FieldError, ProblemError

DEFAULT_LIMIT = 50
MOST_LIMIT = 200
_SALT = "alongside.api.cursor"


@dataclass(frozen=True)
class Page[Row]:
    items: list[Row]
    next_cursor: str | None
    next: str | None


def _bad_cursor() -> ProblemError:
    message = _("This cursor is not one this list gave, or was given for another ordering.")
    return ProblemError(
        422, _("Some values are not valid."), errors=[FieldError(field="cursor", message=message)]
    )


def page_of[M: Model](
    request: HttpRequest,
    rows: QuerySet[M],
    *,
    ordering: str,
    orderings: Mapping[str, str],
    cursor: str | None,
    limit: int,
) -> Page[M]:
    """The page of `rows` after `cursor`, ordered by `orderings[ordering]` (a field, "-" first
    for descending) and then by id the same way."""
    field = orderings[ordering]
    descending = field.startswith("-")
    name = field.removeprefix("-")
    rows = rows.order_by(field, "-pk" if descending else "pk")
    if cursor:
        rows = rows.filter(_after(rows, name, descending, ordering, cursor))
    found = list(rows[: limit + 1])
    items, more = found[:limit], len(found) > limit
    if not more:
        return Page(items=items, next_cursor=None, next=None)
    last = items[-1]
    value = getattr(last, name)
    token = signing.dumps(
        {
            "o": ordering,
            "v": value.isoformat() if hasattr(value, "isoformat") else value,
            "id": last.pk,
        },
        salt=_SALT,
        compress=True,
    )
    query = request.GET.copy()
    query["cursor"] = token
    return Page(
        items=items, next_cursor=token, next=f"{request.path}?{urlencode(query, doseq=True)}"
    )


def _after(rows: QuerySet[Any], name: str, descending: bool, ordering: str, cursor: str) -> Q:
    try:
        position = signing.loads(cursor, salt=_SALT)
        if position["o"] != ordering:
            raise _bad_cursor()
        value = rows.model._meta.get_field(name).to_python(position["v"])
        pk = int(position["id"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, ValidationError) as error:
        raise _bad_cursor() from error
    past = "lt" if descending else "gt"
    return Q(**{f"{name}__{past}": value}) | Q(**{name: value, f"pk__{past}": pk})
