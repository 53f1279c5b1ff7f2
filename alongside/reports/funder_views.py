"""The funder report: a page to choose the programs and the period and read the tables, and the
same tables as a PDF and a spreadsheet (each download audited). Coordinators and administrators
see only their own programs; a program of someone else's is not found."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.audit import record_event
from alongside.programs.models import Program
from alongside.programs.queries import programs_staffed_by
from alongside.reports.funder.choice import Coverage, FunderReportForm, coverage
from alongside.reports.funder.pdf import render_pdf
from alongside.reports.funder.report import FunderReport, build_report
from alongside.reports.funder.xlsx import render_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _chosen(
    request: AuthenticatedRequest,
) -> tuple[FunderReportForm, list[Program], Coverage | None]:
    programs = list(programs_staffed_by(request.user))
    if not programs:
        raise Http404
    asked = request.GET if "program" in request.GET else None
    form = FunderReportForm(asked, programs=programs)
    if asked is None:
        form = FunderReportForm(
            {"program": form.fields["program"].initial, "period": form.fields["period"].initial},
            programs=programs,
        )
    return form, programs, coverage(form, programs) if form.is_valid() else None


def report_title(report: FunderReport) -> str:
    return _("Report to funders: %(programs)s, %(period)s") % {
        "programs": report.program_names,
        "period": report.period.label,
    }


@signed_in(*STAFF_ROLES)
@require_GET
def funder(request: AuthenticatedRequest) -> HttpResponse:
    form, _programs, chosen = _chosen(request)
    report = build_report(programs=chosen.programs, period=chosen.period) if chosen else None
    return render(
        request,
        "reports/funder.html",
        {
            "form": form,
            "report": report,
            "title": report_title(report) if report else None,
            "query": request.GET.urlencode() if chosen and "program" in request.GET else "",
        },
        status=200 if chosen or "program" not in request.GET else 400,
    )


def _download(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    form, _programs, chosen = _chosen(request)
    if chosen is None:
        return render(request, "reports/funder.html", {"form": form, "report": None}, status=400)
    report = build_report(programs=chosen.programs, period=chosen.period)
    title = report_title(report)
    for program in report.programs:
        record_event(
            actor=request.user,
            action="reports.funder.downloaded",
            target=program,
            data={
                "format": kind,
                "programs": [program.pk for program in report.programs],
                "start": report.period.start.isoformat(),
                "end": report.period.end.isoformat(),
            },
        )
    body, content_type = (
        (render_pdf(report, title=title), "application/pdf")
        if kind == "pdf"
        else (render_xlsx(report, title=title), XLSX)
    )
    name = slugify(
        f"funder-report-{chosen.program_value}-{report.period.start}-{report.period.end}"
    )
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


@signed_in(*STAFF_ROLES)
@require_GET
def funder_pdf(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "pdf")


@signed_in(*STAFF_ROLES)
@require_GET
def funder_xlsx(request: AuthenticatedRequest) -> HttpResponse:
    return _download(request, "xlsx")
