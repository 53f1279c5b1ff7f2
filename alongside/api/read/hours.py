"""Supporters' monthly hours reports, as the hours page reads them (`hours_reports_for`:
staff see their programs', a supporter their own), then the token's program (ADR 0015).
Minutes, counts and dates; what a supporter wrote stays on the page."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.params.functions import Query

from alongside.api.auth import caller_for, documented_scope
from alongside.api.models import Scope
from alongside.api.paging import page_of
from alongside.api.problems import responses
from alongside.api.read.params import MOST_ID, Cursor, Limit, ProgramFilter
from alongside.matches.queries import band_for, hours_reports_for

hours_reports_router = Router(tags=["matches"])
ORDERINGS = {"-month": "-month", "month": "month"}
SupporterFilter = Query(None, ge=1, le=MOST_ID, description="Only this supporter's.")


class MonthlyHoursOut(Schema):
    id: int
    program_id: int
    supporter_id: int
    supporter: str
    month: dt.date
    logged_minutes: int
    logged_contacts: int
    confirmed_minutes: int | None
    confirmed_contacts: int | None
    confirmed_at: dt.datetime | None
    band: Literal["below", "within", "above"]


class HoursReportPage(Schema):
    items: list[MonthlyHoursOut]
    next_cursor: str | None
    next: str | None


@hours_reports_router.get(
    "/",
    response=responses({200: HoursReportPage}),
    openapi_extra=documented_scope(Scope.READ_MATCHES),
)
def hours_reports(
    request: HttpRequest,
    program_id: int | None = ProgramFilter,
    supporter_id: int | None = SupporterFilter,
    ordering: Literal["-month", "month"] = "-month",
    limit: int = Limit,
    cursor: str | None = Cursor,
) -> HoursReportPage:
    """Monthly hours reports you may see (your programs' as staff, your own as a supporter),
    the latest month first, each with whether it falls below, within or above the program's
    expected hours."""
    caller = caller_for(request, Scope.READ_MATCHES)
    rows = caller.narrow(hours_reports_for(caller.user))
    if program_id is not None:
        rows = rows.filter(program_id=program_id)
    if supporter_id is not None:
        rows = rows.filter(supporter_id=supporter_id)
    page = page_of(
        request, rows, ordering=ordering, orderings=ORDERINGS, cursor=cursor, limit=limit
    )
    return HoursReportPage(
        items=[
            MonthlyHoursOut(
                id=report.pk,
                program_id=report.program_id,
                supporter_id=report.supporter_id,
                supporter=report.supporter.display_name,
                month=report.month,
                logged_minutes=report.logged_minutes,
                logged_contacts=report.logged_contacts,
                confirmed_minutes=report.confirmed_minutes,
                confirmed_contacts=report.confirmed_contacts,
                confirmed_at=report.confirmed_at,
                band=band_for(report),  # type: ignore[arg-type]
            )
            for report in page.items
        ],
        next_cursor=page.next_cursor,
        next=page.next,
    )
