"""Exporting a list to CSV or XLSX: exactly the rows its page shows for the same parameters.

The rows are read through the list's own definition (`ListDefinition.read`): the same
`visible_to` scope, filters, search and sort as its page, every page of it, so no parameter can
reach another program's rows; and of those, only the programs the viewer staffs (someone who
also supports in another program does not export their own matches there). A list exports to its
programs' staff unless it names other roles (`export_roles`: the audit log, to privacy leads and
administrators), and then only to those. A list that holds
personal data asks the staff member to confirm it is them first (django-allauth's
reauthentication, by password or authenticator code, valid for a few minutes). Every export is
audited (`reports.list.exported`) and rate-limited.
"""

from collections.abc import Callable
from dataclasses import replace
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from alongside.accounts.access import AuthenticatedRequest, confirm_it_is_them, signed_in
from alongside.accounts.models import AUDIT_ROLES, STAFF_ROLES, Role, User
from alongside.accounts.queries import roles_of
from alongside.core.audit import record_event
from alongside.core.lists import PAGE, PER_PAGE, ListDefinition, ListReading
from alongside.programs.queries import program_ids_for
from alongside.reports.exportable import exportable_lists, list_named
from alongside.reports.exports import ROW_LIMIT, XLSX_TYPE, Format, csv_lines, xlsx_bytes

FORMAT = "format"
EXPORTS_PER_HOUR = 30
# What an export leaves out of the list's parameters: its own, and the page's.
NOT_THE_LISTS = (FORMAT, PAGE, PER_PAGE)


def _holds_personal_data(request: HttpRequest) -> bool:
    """Whether the list asked for needs the staff member to confirm it is them; an unknown list
    does not (it answers 404 after)."""
    match = request.resolver_match
    name = match.kwargs.get("list_name", "") if match else ""
    definition = exportable_lists().get(name)
    return definition is not None and definition.holds_personal_data


type View = Callable[..., HttpResponse]
# allauth's and django-ratelimit's decorators carry no types; they return the view they wrap.
ask_who_it_is = confirm_it_is_them(enabled=_holds_personal_data)
count_exports = cast(
    Callable[[View], View],
    ratelimit(group="reports.export", key="user", rate=f"{EXPORTS_PER_HOUR}/h", block=False),
)


def may_export[View: Callable[..., HttpResponse]](view: View) -> View:
    """Only the roles the list names export it (its staff, unless it names others); an unknown
    list answers 404. Decided before asking anyone to confirm it is them."""

    @wraps(view)
    def guarded(request: AuthenticatedRequest, list_name: str) -> HttpResponse:
        if not roles_of(request.user) & _export_roles(list_named(list_name)):
            raise PermissionDenied
        return view(request, list_name)

    return guarded  # type: ignore[return-value]


@signed_in(*STAFF_ROLES, *AUDIT_ROLES)
@require_GET
@may_export
@ask_who_it_is
@count_exports
def export(request: AuthenticatedRequest, list_name: str) -> HttpResponse:
    definition = list_named(list_name)
    params = _list_params(request.GET)
    back = definition.address(params)
    try:
        chosen = Format(request.GET.get(FORMAT, ""))
    except ValueError:
        messages.error(request, _("Choose CSV or XLSX to export this list."))
        return redirect(back)
    if getattr(request, "limited", False):
        messages.error(
            request,
            _("You have exported %(count)s lists in the last hour; try again later.")
            % {"count": EXPORTS_PER_HOUR},
        )
        return redirect(back)
    reading = _staffed_only(
        definition.read(request.user, params), request.user, _export_roles(definition)
    )
    count = reading.rows.count()
    if count > ROW_LIMIT:
        messages.warning(request, _too_many(count))
        return redirect(back)
    data = _what_was_exported(definition, reading, chosen, count)
    record_event(
        actor=request.user,
        action="reports.list.exported",
        target=request.user,
        data=data,
        # Filed under the program filtered on, so that program's audit shows it.
        program_id=_program_filtered(data),
    )
    return _file(definition, reading, chosen)


def _export_roles(definition: ListDefinition) -> frozenset[Role]:
    return frozenset(Role(role) for role in definition.export_roles) or STAFF_ROLES


def _staffed_only(reading: ListReading, user: User, roles: frozenset[Role]) -> ListReading:
    """The list's rows in the programs where the viewer holds one of the list's export `roles`:
    someone who coordinates one program and supports in another exports the first's rows, never
    their own matches elsewhere. An installation's superuser administers every program, and
    exports what the list shows them."""
    if not any(field.name == "program" for field in reading.rows.model._meta.get_fields()):
        return reading
    if user.is_superuser and Role.ADMINISTRATOR in roles:
        return reading
    staffed = reading.rows.filter(program_id__in=program_ids_for(user, roles))
    return replace(reading, rows=staffed)


def _list_params(query: QueryDict) -> QueryDict:
    params = query.copy()
    for name in NOT_THE_LISTS:
        params.pop(name, None)
    return params


def _too_many(count: int) -> str:
    return ngettext(
        "This list has %(count)s row; an export holds at most %(limit)s. "
        "Narrow the filters, then export again.",
        "This list has %(count)s rows; an export holds at most %(limit)s. "
        "Narrow the filters, then export again.",
        count,
    ) % {
        "count": f"{count:,}".replace(",", "\u00a0"),
        "limit": f"{ROW_LIMIT:,}".replace(",", "\u00a0"),
    }


def _what_was_exported(
    definition: ListDefinition, reading: ListReading, chosen: Format, count: int
) -> dict[str, Any]:
    """The audit's account of an export: the list, the format, the rows, the filters applied and
    the sort; whether it was searched, never what was typed (a person's name)."""
    form = reading.filters.form
    applied = {
        name: _plain_value(value)
        for name, value in getattr(form, "cleaned_data", {}).items()
        if value not in (None, "", [], ())
    }
    return {
        "list": definition.name,
        "format": str(chosen),
        "rows": count,
        "filters": applied,
        "sort": f"{'-' if reading.descending else ''}{reading.sort.key}",
        "searched": bool(reading.search),
    }


def _program_filtered(data: dict[str, Any]) -> int | None:
    program = str(data["filters"].get("program", ""))
    return int(program) if program.isdigit() else None


def _plain_value(value: object) -> object:
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | tuple | set):
        return [_plain_value(item) for item in value]
    return str(value)


def _file(definition: ListDefinition, reading: ListReading, chosen: Format) -> HttpResponse:
    headers = [column.label for column in definition.columns]
    rows = (
        [column.value(row) for column in definition.columns]
        for row in reading.rows.iterator(chunk_size=500)
    )
    filename = f"{definition.name}-{timezone.localdate().isoformat()}.{chosen}"
    response: HttpResponse | StreamingHttpResponse
    if chosen is Format.CSV:
        response = StreamingHttpResponse(
            csv_lines(headers, rows), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes(str(definition.title or definition.name), headers, rows),
            content_type=XLSX_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response  # type: ignore[return-value]
