import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.access import PublicRequest, public, public_form_used_up
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.outcomes import queries, services
from alongside.outcomes.forms import AnswerForm, InstrumentChoiceForm
from alongside.programs.queries import programs_staffed_by


@public
@require_http_methods(["GET", "POST"])
def answer(request: PublicRequest, token: str) -> HttpResponse:
    survey = get_object_or_404(queries.surveys_to_answer(), token=token)
    context: dict[str, object] = {"survey": survey, "instrument": survey.instrument}
    if survey.is_answered:
        return render(request, "outcomes/answered.html", context)
    if services.surveys_withdrawn(survey):
        return render(request, "outcomes/answered.html", context | {"withdrawn": True})
    form = AnswerForm(
        request.POST or None,
        instrument=survey.instrument,
        fallbacks=survey.program.content_languages()[:1],
    )
    if request.method == "POST":
        if public_form_used_up(request, "outcomes.answer", count_this_one=False, allowance=3):
            return render(
                request, "outcomes/answer.html", context | {"form": form, "busy": True}, status=429
            )
        if form.is_valid():
            try:
                services.answer_survey(survey=survey, answers=form.answers())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                public_form_used_up(request, "outcomes.answer", count_this_one=True, allowance=3)
                return render(request, "outcomes/answered.html", context)
    return render(request, "outcomes/answer.html", context | {"form": form})


@signed_in(*STAFF_ROLES)
@require_GET
def figures(request: AuthenticatedRequest) -> HttpResponse:
    programs = list(programs_staffed_by(request.user))
    return render(
        request,
        "outcomes/figures.html",
        {"programs": [(program, queries.program_figures(program)) for program in programs]},
    )


@signed_in(*STAFF_ROLES)
@require_GET
def export(request: AuthenticatedRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(programs_staffed_by(request.user), slug=program_slug)
    record_event(actor=request.user, action="outcomes.export.downloaded", target=program)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outcomes-{program.slug}.csv"'
    writer = csv.writer(response)
    for row in queries.export_rows(program):
        writer.writerow(row)
    return response


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def choose_instruments(request: AuthenticatedRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(programs_staffed_by(request.user), slug=program_slug)
    form = InstrumentChoiceForm(
        request.POST or None,
        instruments=list(queries.instruments()),
        chosen=queries.instrument_choices(program),
    )
    if form.is_valid():
        services.choose_instruments(program=program, by=request.user, choices=form.choices())
        messages.success(request, _("The questionnaires are saved."))
        return redirect("outcomes:figures")
    return render(request, "outcomes/choose_instruments.html", {"program": program, "form": form})
