from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.programs import queries, services
from alongside.programs.forms.pipeline import MoveForm, PipelineStepForm, TrainingModuleForm
from alongside.programs.forms.translations import show_refusal
from alongside.programs.models import Program
from alongside.programs.permissions import (
    get_pipeline_step_for,
    get_program_for,
    get_training_module_for,
)


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (so that it is checked and explained)."""
    return request.POST if request.method == "POST" else None


def _retire_confirmation(
    request: AuthenticatedRequest, name: str, records: int, program_id: int
) -> HttpResponse:
    """Retiring cannot be undone: say so, and what becomes of supporters' records."""
    if records:
        happens = [
            ngettext(
                "Supporters' %(count)d record of “%(name)s” is kept, with its meaning.",
                "Supporters' %(count)d records of “%(name)s” are kept, with their meaning.",
                records,
            )
            % {"count": records, "name": name},
            _("It stops counting for readiness and leaves the board. It cannot be brought back."),
        ]
    else:
        happens = [
            _("Nobody has a record of “%(name)s”: it is removed for good.") % {"name": name},
            _("It cannot be brought back; you can add a new one later."),
        ]
    happens.append(_("Nobody is sent a message."))
    return confirmation_page(
        request,
        Confirmation(
            title=_("Retire “%(name)s”?") % {"name": name},
            happens=happens,
            button=_("Retire “%(name)s”") % {"name": name},
            back_url=reverse("programs:settings", args=[program_id]),
            danger=True,
        ),
    )


def _setting_form(
    request: AuthenticatedRequest, form: forms.Form, program: Program, heading: str, button: str
) -> HttpResponse:
    """The page to add or edit a step or a training (again with its errors)."""
    return render(
        request,
        "programs/setting_form.html",
        {"form": form, "program": program, "heading": heading, "button": button},
    )


@signed_in(*STAFF_ROLES)
@require_GET
def settings_index(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "programs/settings_index.html",
        {
            "programs": queries.programs_staffed_by(request.user),
            "can_create": queries.can_create_programs(request.user),
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def program_settings(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    steps = list(queries.pipeline_steps_of(program))
    modules = queries.training_modules_of(program)
    administers = queries.administers(request.user, program)
    return render(
        request,
        "programs/settings.html",
        {
            "program": program,
            "setup": queries.setup_summary(program, [*steps, *(row.module for row in modules)]),
            "sites": queries.sites_of(program),
            "can_appoint": administers,
            "can_connect_systems": administers,  # webhooks
            "steps": steps,
            "modules": modules,
            "retired": queries.retired_names(program),
        },
    )


def _back_to_settings(program_id: int) -> HttpResponse:
    return redirect("programs:settings", program_id=program_id)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def add_step(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    form = PipelineStepForm(_posted(request))
    form.offer_languages(program.content_languages())
    if form.is_valid():
        try:
            services.add_pipeline_step(program=program, by=request.user, **form.arguments())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Step added at the end of the pipeline."))
            return _back_to_settings(program.pk)
    return _setting_form(request, form, program, _("Add a step"), _("Save step"))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_step(request: AuthenticatedRequest, step_id: int) -> HttpResponse:
    step = get_pipeline_step_for(request.user, step_id)
    form = (
        PipelineStepForm(request.POST)
        if request.method == "POST"
        else PipelineStepForm.for_step(step)
    )
    form.offer_languages(step.program.content_languages(), step)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_pipeline_step(step=step, by=request.user, **form.arguments())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Step saved."))
            return _back_to_settings(step.program_id)
    return _setting_form(request, form, step.program, _("Edit a step"), _("Save step"))


@signed_in(*STAFF_ROLES)
@require_POST
def move_step(request: AuthenticatedRequest, step_id: int) -> HttpResponse:
    step = get_pipeline_step_for(request.user, step_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to move the step up or down."))
        return _back_to_settings(step.program_id)
    try:
        services.move_pipeline_step(
            step=step, by=request.user, direction=form.cleaned_data["direction"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("“%(name)s” moved.") % {"name": step.name})
    return _back_to_settings(step.program_id)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def retire_step(request: AuthenticatedRequest, step_id: int) -> HttpResponse:
    """GET: what retiring the step does, and the button. POST: retire (or remove) it."""
    step = get_pipeline_step_for(request.user, step_id)
    if request.method == "GET":
        return _retire_confirmation(request, step.name, step.records.count(), step.program_id)
    try:
        outcome = services.retire_pipeline_step(step=step, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, outcome)
    return _back_to_settings(step.program_id)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def add_module(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    form = TrainingModuleForm(_posted(request))
    form.offer_languages(program.content_languages())
    if form.is_valid():
        try:
            services.add_training_module(program=program, by=request.user, **form.arguments())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Training added."))
            return _back_to_settings(program.pk)
    return _setting_form(request, form, program, _("Add a training"), _("Save training"))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_module(request: AuthenticatedRequest, module_id: int) -> HttpResponse:
    module = get_training_module_for(request.user, module_id)
    form = (
        TrainingModuleForm(request.POST)
        if request.method == "POST"
        else TrainingModuleForm.for_module(module)
    )
    form.offer_languages(module.program.content_languages(), module)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_training_module(module=module, by=request.user, **form.arguments())
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Training saved."))
            return _back_to_settings(module.program_id)
    return _setting_form(request, form, module.program, _("Edit a training"), _("Save training"))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def retire_module(request: AuthenticatedRequest, module_id: int) -> HttpResponse:
    """GET: what retiring the training does, and the button. POST: retire (or remove) it."""
    module = get_training_module_for(request.user, module_id)
    if request.method == "GET":
        return _retire_confirmation(request, module.name, module.records.count(), module.program_id)
    try:
        outcome = services.retire_training_module(module=module, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, outcome)
    return _back_to_settings(module.program_id)
