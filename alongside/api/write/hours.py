"""A supporter confirms their month's hours, for their app: the monthly hours page's form and
service (`matches.hours.confirm_hours_report`); only the report's own supporter may."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.params.functions import Header, Path

from alongside.api.auth import Caller, caller_for, documented_scope
from alongside.api.idempotency import answered_once
from alongside.api.models import Scope
from alongside.api.problems import ProblemError, not_found, responses
from alongside.api.write.common import form_problem
from alongside.api.write.schemas import MOST_ID, HoursIn, HoursReportOut
from alongside.matches.forms import HoursReportForm
from alongside.matches.hours import confirm_hours_report
from alongside.matches.models import HoursReport
from alongside.matches.permissions import get_hours_report_for

hours_router = Router(tags=["hours"])


@hours_router.post(
    "/{report_id}/confirmation",
    response=responses({201: HoursReportOut}, 400, 404, 409),
    openapi_extra=documented_scope(Scope.WRITE_CONTACTS),
)
def confirm_hours(
    request: HttpRequest,
    payload: HoursIn,
    report_id: int = Path(..., ge=1, le=MOST_ID),
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> HttpResponse:
    """Confirm (or adjust) a month's hours and conversations, as on the monthly hours page.
    Only the report's own supporter may, signed in: for anyone else (a program's token acts
    as its creator, program staff) there is no such report. A confirmed month is a 409."""
    caller = caller_for(request, Scope.WRITE_CONTACTS)
    report = _report_for(caller, report_id)
    return answered_once(
        caller=caller,
        key=idempotency_key,
        operation=f"POST /hours-reports/{report.pk}/confirmation",
        payload=payload,
        answer=lambda: (201, _confirm(caller, report, payload)),
    )


def _report_for(caller: Caller, report_id: int) -> HoursReport:
    report = get_hours_report_for(caller.user, report_id, write=True)
    if not caller.reaches_program(report.program_id):
        raise not_found()
    return report


def _confirm(caller: Caller, report: HoursReport, payload: HoursIn) -> HoursReportOut:
    if report.is_confirmed:
        raise ProblemError(409, _("This month's hours are already confirmed."))
    form = HoursReportForm(
        {
            "hours": str(payload.hours),
            "contacts": str(payload.contacts),
            "anything_to_know": payload.anything_to_know,
        }
    )
    if not form.is_valid():
        raise form_problem(form, {})
    confirmed = confirm_hours_report(report=report, by=caller.user, **form.cleaned_data)
    return HoursReportOut(
        id=confirmed.pk,
        month=confirmed.month,
        confirmed_at=confirmed.confirmed_at,  # type: ignore[arg-type]
        confirmed_minutes=confirmed.confirmed_minutes or 0,
        confirmed_contacts=confirmed.confirmed_contacts or 0,
        logged_minutes=confirmed.logged_minutes,
        logged_contacts=confirmed.logged_contacts,
    )
