"""The staff pages of the pipeline: the board, a supporter's page and what is recorded there."""

import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import batched
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.core.htmx import render_in_place
from alongside.core.paging import page_of
from alongside.programs.queries import current_step_names, programs_staffed_by
from alongside.supporters import hooks, imports, queries
from alongside.supporters.forms.pipeline import (
    BackgroundCheckForm,
    ImportForm,
    StepForm,
    TrainingForm,
)
from alongside.supporters.forms.supervision import SupervisorForm
from alongside.supporters.models import Supporter
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.services import pipeline, supervision
from alongside.supporters.services.profile import is_staff_of
from alongside.supporters.views.supervision import sessions_with_notes

BOARD_PER_PAGE = 25
# How many supporters' readiness one reading asks.
BOARD_CHUNK = 200


def _board_context(
    request: AuthenticatedRequest, *, program_id: str, step_filter: str, page: str | None
) -> dict[str, Any]:
    """The board's columns: a page of supporters, each under the step they are on.

    A step filter reads the step stored on each supporter (supporters/steps.py keeps it the
    gate's own), so the page is read first whatever the filter, and only its supporters'
    readiness asked: what each still needs.
    """
    programs = list(programs_staffed_by(request.user))
    chosen = next((one for one in programs if str(one.pk) == program_id), None)
    supporters = queries.board_supporters(request.user, program_id=chosen.pk if chosen else None)
    if step_filter:
        supporters = supporters.filter(current_step__name=step_filter)
    of_supporters = Paginator(supporters, BOARD_PER_PAGE).get_page(page)
    rows = list(_board_rows(list(of_supporters.object_list)))
    shown: Page[Any] = Page(rows, of_supporters.number, of_supporters.paginator)
    columns: dict[str, dict[str, Any]] = {}
    for row in shown.object_list:
        column = columns.setdefault(
            row["column"], {"name": row["column"], "order": row["order"], "rows": []}
        )
        column["rows"].append(row)
    return {
        "programs": programs,
        "chosen_program": chosen,
        "chosen_step": step_filter,
        "board_page": shown,
        "columns": sorted(columns.values(), key=lambda column: column["order"]),
    }


def _board_rows(supporters: Iterable[Supporter]) -> Iterator[dict[str, Any]]:
    """Each supporter with the step they are on, how long they have waited there (since the
    last thing recorded, for one at no step), what is missing; their readiness asked a chunk
    at a time (each on their program's day: when they share one time zone, that zone's day,
    which saves reading the zones)."""
    now = timezone.now()
    for chunk in batched(supporters, BOARD_CHUNK):
        zones = {supporter.program.time_zone for supporter in chunk}
        today = chunk[0].program.calendar.today(now) if len(zones) == 1 else None
        states = queries.readiness_of(chunk, today)
        for supporter in chunk:
            state = states[supporter.pk]
            step = state.current_step
            yield {
                "supporter": supporter,
                "column": step.name if step else _("Ready"),
                "order": step.order if step else 10_000,
                "waiting_days": _days_waiting(supporter, state.waiting_since, now),
                "missing": state.missing,
            }


def _days_waiting(supporter: Supporter, last_recorded: dt.datetime | None, now: dt.datetime) -> int:
    if supporter.days_at_step is not None:
        return supporter.days_at_step
    return (now - last_recorded).days if last_recorded else 0


@signed_in(*STAFF_ROLES)
@require_GET
def board(request: AuthenticatedRequest) -> HttpResponse:
    context = _board_context(
        request,
        program_id=request.GET.get("program", ""),
        step_filter=request.GET.get("step", ""),
        page=request.GET.get("page"),
    )
    chosen = context["chosen_program"]
    step_names = current_step_names([chosen] if chosen else context["programs"])
    not_eligible = queries.applications_not_eligible(
        request.user, program_id=chosen.pk if chosen else None
    )
    context |= {
        "step_names": step_names,
        "not_eligible": page_of(
            not_eligible, request, per_page=BOARD_PER_PAGE, param="not_eligible"
        ),
    }
    return render(request, "supporters/board.html", context)


@signed_in(*STAFF_ROLES)
@require_POST
def board_advance(request: AuthenticatedRequest) -> HttpResponse:
    """Mark the chosen supporters' current step done; in place, the board's columns update."""
    ids = [int(value) for value in request.POST.getlist("supporter") if value.isdigit()]
    chosen = list(
        queries.board_supporters(request.user).filter(pk__in=ids).select_related("program")
    )
    if not chosen:
        messages.error(request, _("Choose at least one person to move on."))
    else:
        problems = pipeline.advance_to_next_step(supporters=chosen, by=request.user)
        for problem in problems:
            messages.warning(request, problem)
        moved = len(chosen) - len(problems)
        if moved:
            messages.success(
                request, _("Moved %(count)d on to their next step.") % {"count": moved}
            )
    if request.htmx:
        context = _board_context(
            request,
            program_id=request.POST.get("program", ""),
            step_filter=request.POST.get("step", ""),
            page=request.POST.get("page"),
        )
        return render_in_place(request, "supporters/board.html#board", context)
    return redirect("supporters:board")


def render_supporter_page(
    request: AuthenticatedRequest, supporter: Supporter, **forms: Any
) -> HttpResponse:
    """The supporter's page; `forms` replaces a form with the bound one that failed."""
    program = supporter.program
    context = {
        "supporter": supporter,
        "readiness": queries.readiness(supporter),
        "step_records": supporter.step_records.select_related("step", "recorded_by"),
        "checks": supporter.background_checks.all(),
        "trainings": supporter.training_records.select_related("module"),
        "burnout_signals": queries.burnout_signals(supporter, timezone.localdate()),
        "debriefs": supporter.debrief_requests.all()[:5],
        "sessions": sessions_with_notes(request, supporter),
        "can_supervise": supervision.supervises(request.user, supporter),
        # Naming a supervisor stays with the central team, as matching does.
        "can_choose_supervisor": is_staff_of(request.user, supporter),
        "step_form": forms.get("step_form") or StepForm(program=program),
        "check_form": forms.get("check_form") or BackgroundCheckForm(),
        "training_form": forms.get("training_form") or TrainingForm(program=program),
        "supervisor_form": forms.get("supervisor_form") or SupervisorForm(supporter=supporter),
    }
    # What the apps above add (matching: the form that matches them with a waiting request;
    # matches: their peer-support hours so far).
    context |= hooks.supporter_page_context(request, supporter) | forms
    return render(request, "supporters/detail.html", context)


@signed_in(*STAFF_ROLES)
@require_GET
def supporter_detail(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id)
    pipeline.record_supporter_viewed(supporter=supporter, viewer=request.user)
    return render_supporter_page(request, supporter)


@signed_in(*STAFF_ROLES)
@require_POST
def record_step(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = StepForm(request.POST, program=supporter.program)
    if form.is_valid():
        try:
            pipeline.record_step(supporter=supporter, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Step recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render_supporter_page(request, supporter, step_form=form)


@signed_in(*STAFF_ROLES)
@require_POST
def record_check(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = BackgroundCheckForm(request.POST)
    if form.is_valid():
        try:
            pipeline.record_background_check(
                supporter=supporter, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Background check recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render_supporter_page(request, supporter, check_form=form)


@signed_in(*STAFF_ROLES)
@require_POST
def record_training(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = TrainingForm(request.POST, program=supporter.program)
    if form.is_valid():
        try:
            pipeline.record_training(supporter=supporter, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Training recorded."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render_supporter_page(request, supporter, training_form=form)


@signed_in(*STAFF_ROLES)
@require_POST
def choose_supervisor(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    if not is_staff_of(request.user, supporter):
        raise PermissionDenied
    form = SupervisorForm(request.POST, supporter=supporter)
    if form.is_valid():
        try:
            supervision.choose_supervisor(
                supporter=supporter, by=request.user, supervisor=form.cleaned_data["supervisor"]
            )
        except DomainError as error:
            form.add_error("supervisor", error.message)
        else:
            messages.success(request, _("Supervisor saved."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render_supporter_page(request, supporter, supervisor_form=form)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_supporters(request: AuthenticatedRequest) -> HttpResponse:
    """Check a file of existing supporters (dry run), or import it: all rows or none."""
    form = ImportForm(
        request.POST or None, request.FILES or None, programs=programs_staffed_by(request.user)
    )
    checked = None
    if request.method == "POST" and form.is_valid():
        program = form.cleaned_data["program"]
        upload = form.cleaned_data["file"]
        try:
            dataset = imports.read_file(upload.read(), upload.name)
            checked = imports.check_rows(program=program, dataset=dataset)
            if "import" in request.POST and checked.is_clean:
                count = imports.import_supporters(program=program, dataset=dataset, by=request.user)
                messages.success(request, _("Imported %(count)d supporters.") % {"count": count})
                return redirect("supporters:board")
        except DomainError as error:
            form.add_error("file", error.message)
    return render(request, "supporters/import.html", {"form": form, "checked": checked})
