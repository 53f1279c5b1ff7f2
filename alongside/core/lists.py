"""Lists a coordinator keeps: sorted by a column, filtered, searched, paged, the same everywhere.

A list is defined once (`ListDefinition`: its columns, its filters, its search, its page size)
and read from a request's parameters by its page and by its export alike, so that an export
holds exactly the rows the page shows. The parameters:

- each filter's own name (the list's `ListFilters`, a django-filter FilterSet), `q` to search,
- `sort=<column>` or `sort=-<column>` (only the columns that sort: never an encrypted one),
- `per_page` (25, 50 or 100; else the list's own) and `page`.

A parameter the list cannot use is left out with a sentence that says so, never an error:
an old bookmark, a hand-edited address or another program's id still shows the list.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.core.paginator import Page
from django.db.models import F, QuerySet
from django.db.models.expressions import BaseExpression, OrderBy
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from alongside.core.forms import AccessibleFormMixin
from alongside.core.paging import page_of

PAGE_SIZES = (25, 50, 100)
SEARCH = "q"
SORT = "sort"
PER_PAGE = "per_page"
PAGE = "page"

# What a column sorts by: field names or expressions, each read ascending.
SortTerm = str | F | BaseExpression


@dataclass(frozen=True)
class Column:
    """One column: its heading, what it sorts by (nothing for a column that cannot be sorted,
    an encrypted one), and its cell's plain value for an export (`value(row)`). A `reverse`
    column counts the other way from its terms (days waiting, sorted by since when)."""

    key: str
    label: str | Promise
    value: Callable[[Any], object]
    sort: tuple[SortTerm, ...] = ()
    reverse: bool = False

    @property
    def sortable(self) -> bool:
        return bool(self.sort)


class ListFilterForm(AccessibleFormMixin, Form):
    """The filters' form: the fields styled as every other form's."""


class ListFilters(django_filters.FilterSet):  # type: ignore[misc]
    """A list's filters, built for one user: `limit_choices` narrows what they may choose (only
    the programs they staff), so another program's id is not a valid choice and is left out."""

    def __init__(self, data: QueryDict | None, queryset: QuerySet[Any], *, user: Any) -> None:
        super().__init__(data=data, queryset=queryset)
        self.user = user
        self.limit_choices(user)

    def limit_choices(self, user: Any) -> None:
        """Narrow the choices of the filters to what `user` may see (each list its own)."""

    def get_form_class(self) -> type[Form]:
        fields = {name: filter_.field for name, filter_ in self.filters.items()}
        return type(f"{type(self).__name__}Form", (ListFilterForm,), fields)


@dataclass(frozen=True)
class ListReading:
    """A list's parameters as read: what it applies and what it had to leave out."""

    filters: ListFilters
    search: str
    sort: Column
    descending: bool
    per_page: int
    rows: QuerySet[Any]
    notices: list[str]


_DEFINED: dict[str, "ListDefinition"] = {}


def defined_lists() -> dict[str, "ListDefinition"]:
    """Every list defined so far (each app's, once its pages' modules are imported), by name."""
    return dict(_DEFINED)


@dataclass(frozen=True)
class ListDefinition:
    """A list a coordinator keeps. `scoped(user)` is every row the user may see (the same
    `visible_to` query as the detail pages); filters, search and sort only narrow and order it.
    `search(rows, term)` finds rows by name; `count_text(n)` says "n requests"."""

    name: str
    columns: tuple[Column, ...]
    scoped: Callable[[Any], QuerySet[Any]]
    filters: type[ListFilters]
    default_sort: str
    count_text: Callable[[int], str]
    per_page: int = 50
    search: Callable[[QuerySet[Any], str], QuerySet[Any]] | None = None
    search_label: str | Promise = ""
    # The URL name of the list's page (an export refused goes back to it), its title (an
    # export's sheet), and whether its rows hold personal data (names, contact details, notes):
    # exporting such a list asks the staff member to confirm it is them (reports.export_views).
    page: str = ""
    title: str | Promise = ""
    holds_personal_data: bool = True
    # The roles that may export the list (role values; core knows no accounts): none named,
    # the programs' staff (coordinators and administrators). The export keeps the rows of the
    # programs where the viewer holds one of them.
    export_roles: frozenset[str] = frozenset()
    # Sort and page the ids alone, then read the page's rows: for a list whose rows join many
    # tables, which the database would otherwise join for every row before sorting (a query
    # more, far less work).
    ids_first: bool = False

    def __post_init__(self) -> None:
        # Every list is known by its name, wherever it is defined: its export finds it there.
        known = _DEFINED.setdefault(self.name, self)
        if known is not self:
            raise ValueError(f"Two lists are named {self.name!r}.")

    def address(self, params: QueryDict) -> str:
        """The list's page with `params` (its filters, search and sort)."""
        query = params.urlencode()
        return f"{reverse(self.page) if self.page else '/'}{'?' if query else ''}{query}"

    def column(self, key: str) -> Column | None:
        return next((column for column in self.columns if column.key == key), None)

    def read(self, user: Any, params: QueryDict) -> ListReading:
        """The list's rows for `params`: filtered, searched and sorted, with what was left out."""
        notices: list[str] = []
        filters = self.filters(params, self.scoped(user), user=user)
        notices += _filters_left_out(filters.form)
        rows = filters.qs
        term = params.get(SEARCH, "").strip()
        if term and self.search is not None:
            rows = self.search(rows, term)
        sort, descending = self._sort(params.get(SORT, ""), notices)
        rows = rows.order_by(*_order(sort, descending))
        return ListReading(
            filters=filters,
            search=term if self.search is not None else "",
            sort=sort,
            descending=descending,
            per_page=self._per_page(params.get(PER_PAGE, ""), notices),
            rows=rows,
            notices=notices,
        )

    def rows(self, user: Any, params: QueryDict) -> QuerySet[Any]:
        """Exactly the rows the list's page shows for `params`, all of them (for an export)."""
        return self.read(user, params).rows

    def _sort(self, asked: str, notices: list[str]) -> tuple[Column, bool]:
        default = self.column(self.default_sort.lstrip("-"))
        assert default is not None, self.default_sort
        assert default.sortable, self.default_sort
        descending = asked.startswith("-")
        if not asked:
            return default, self.default_sort.startswith("-")
        column = self.column(asked.removeprefix("-"))
        if column is None or not column.sortable:
            notices.append(
                _("This list cannot be sorted that way; it is sorted by “%(column)s”.")
                % {"column": default.label}
            )
            return default, self.default_sort.startswith("-")
        return column, descending

    def _per_page(self, asked: str, notices: list[str]) -> int:
        if not asked:
            return self.per_page
        if asked.isdigit() and int(asked) in PAGE_SIZES:
            return int(asked)
        notices.append(
            _("A page shows 25, 50 or 100 rows; this one shows %(count)s.")
            % {"count": self.per_page}
        )
        return self.per_page


def _order(column: Column, descending: bool) -> list[OrderBy]:
    """The column's sort terms then the id, all one way, so that paging is stable; rows with
    nothing to sort by (a null) last, whichever way."""
    terms: Sequence[SortTerm] = (*column.sort, "pk")
    expressions = [F(term) if isinstance(term, str) else term for term in terms]
    descending = descending != column.reverse
    return [
        expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        for expression in expressions
    ]


def _filters_left_out(form: Form) -> list[str]:
    """A sentence for each filter the parameters asked for that it could not understand."""
    return [
        _("The filter “%(label)s” was not understood and is not applied.")
        % {"label": form[name].label}
        for name in form.errors
        if name in form.fields
    ]


@dataclass(frozen=True)
class Header:
    """A column's heading: a link that sorts by it (then the other way) when it sorts."""

    label: str | Promise
    key: str
    href: str
    aria_sort: str


@dataclass(frozen=True)
class ActiveFilter:
    """A filter applied, as a coordinator reads it, with the address that removes it."""

    label: str | Promise
    value: str
    remove_href: str


@dataclass
class ListPage:
    """What a list's template needs (core/_list.html and its partials)."""

    definition: ListDefinition
    reading: ListReading
    page: Page[Any]
    headers: list[Header]
    active: list[ActiveFilter]
    page_sizes: tuple[int, ...] = field(default=PAGE_SIZES)
    # The parameters without the page: an export's links send them (every page of the list).
    query: str = ""

    @property
    def form(self) -> Form:
        form: Form = self.reading.filters.form
        return form

    @property
    def count(self) -> int:
        return self.page.paginator.count

    @property
    def count_text(self) -> str:
        return self.definition.count_text(self.count)

    @property
    def sort_param(self) -> str:
        return f"{'-' if self.reading.descending else ''}{self.reading.sort.key}"


def list_page(definition: ListDefinition, request: HttpRequest) -> ListPage:
    """The page of `definition` that `request` asks for: two queries, the count and the rows
    (three when the list reads its ids first)."""
    reading = definition.read(request.user, request.GET)
    if definition.ids_first:
        page = page_of(
            reading.rows.values_list("pk", flat=True), request, per_page=reading.per_page
        )
        found = reading.rows.order_by().in_bulk(list(page.object_list))
        page.object_list = [found[pk] for pk in page.object_list if pk in found]
    else:
        page = page_of(reading.rows, request, per_page=reading.per_page)
    return ListPage(
        definition=definition,
        reading=reading,
        page=page,
        headers=_headers(definition, reading, request.GET),
        active=_active_filters(reading, request.GET),
        query=_address(request.GET).removeprefix("?"),
    )


def _address(params: QueryDict, **changes: str | None) -> str:
    """`params` with `changes` (None removes one), back on the first page."""
    query = params.copy()
    query.pop(PAGE, None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return f"?{query.urlencode()}"


def _headers(definition: ListDefinition, reading: ListReading, params: QueryDict) -> list[Header]:
    headers = []
    for column in definition.columns:
        current = column.key == reading.sort.key
        aria_sort = ""
        href = ""
        if column.sortable:
            if current:
                aria_sort = "descending" if reading.descending else "ascending"
            then = f"-{column.key}" if current and not reading.descending else column.key
            href = _address(params, **{SORT: then})
        headers.append(Header(column.label, column.key, href, aria_sort))
    return headers


def _active_filters(reading: ListReading, params: QueryDict) -> list[ActiveFilter]:
    form = reading.filters.form
    active = []
    for name, value in getattr(form, "cleaned_data", {}).items():
        if value in (None, "", [], ()):
            continue
        bound = form[name]
        # A model chosen is its name; a choice, its label (a model's choices would be a query).
        shown = value if hasattr(value, "pk") else _choice_label(bound.field, value)
        active.append(ActiveFilter(bound.label, str(shown), _address(params, **{name: None})))
    if reading.search:
        active.append(ActiveFilter(_("Name"), reading.search, _address(params, **{SEARCH: None})))
    return active


def _choice_label(form_field: Any, value: object) -> object:
    return dict(getattr(form_field, "choices", ())).get(value, value)


def list_response(
    request: HttpRequest, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """The list's page, or only its region (`template#list-region`) for an htmx update. Going
    back in the browser asks the whole page again when htmx has lost it."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        template_name = f"{template_name}#list-region"
    response = render(request, template_name, context)
    patch_vary_headers(response, ["HX-Request"])
    return response
