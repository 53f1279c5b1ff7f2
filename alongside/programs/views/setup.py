"""Setting a program up: an administrator creates it and appoints its first coordinator; its
coordinators (and administrators) edit its settings one section at a time, and its sites."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_stubs_ext import StrOrPromise

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import SITE_SCOPED_ROLES, STAFF_ROLES, Role
from alongside.accounts.queries import team_of
from alongside.core.errors import DomainError
from alongside.core.paging import page_of
from alongside.programs import queries, services
from alongside.programs.forms.reporting import ReportingForm
from alongside.programs.forms.rules import rule_formset
from alongside.programs.forms.setup import (
    GeneralSettingsForm,
    LanguagesForm,
    NewProgramForm,
    SafetySettingsForm,
    ScheduleForm,
    SettingsForm,
    SiteForm,
)
from alongside.programs.forms.team import CoordinatorForm, TeamRoleSitesForm, TeamSearchForm
from alongside.programs.forms.translations import show_refusal
from alongside.programs.models import Program
from alongside.programs.permissions import (
    get_program_administered_by,
    get_program_for,
    get_site_for,
    get_team_role_administered_by,
)
from alongside.programs.rules import rows_from_rules, rules_from_rows


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _back_to_settings(
    program: Program, saved: StrOrPromise, request: AuthenticatedRequest
) -> HttpResponse:
    messages.success(request, saved)
    return redirect("programs:settings", program_id=program.pk)


def _form_page(
    request: AuthenticatedRequest,
    form: forms.Form,
    *,
    program: Program | None,
    heading: StrOrPromise,
    button: StrOrPromise,
    intro: StrOrPromise = "",
) -> HttpResponse:
    return render(
        request,
        "programs/setting_form.html",
        {"form": form, "program": program, "heading": heading, "button": button, "intro": intro},
    )


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def new_program(request: AuthenticatedRequest) -> HttpResponse:
    form = NewProgramForm(_posted(request))
    if form.is_valid():
        try:
            program = services.create_program(by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _back_to_settings(
                program,
                _(
                    "Program created. It takes no requests until you open a way in under "
                    "“General and ways in”."
                ),
                request,
            )
    return _form_page(
        request,
        form,
        program=None,
        heading=_("New program"),
        button=_("Create program"),
        intro=_("You can change everything but the web address name later, in its settings."),
    )


# A section of the settings: its form, the service that saves it, its heading.
Section = tuple[type[SettingsForm], Callable[..., Program], StrOrPromise]

SECTIONS: dict[str, Section] = {
    "general": (
        GeneralSettingsForm,
        services.change_general_settings,
        gettext_lazy("General and ways in"),
    ),
    "languages": (
        LanguagesForm,
        services.change_languages_and_methods,
        gettext_lazy("Languages and contact methods"),
    ),
    "schedule": (ScheduleForm, services.change_schedule, gettext_lazy("Schedule and calendar")),
    "safety": (SafetySettingsForm, services.change_safety_settings, gettext_lazy("Safety")),
    "reporting": (ReportingForm, services.change_reporting, gettext_lazy("Funder reports")),
}


def _section(request: AuthenticatedRequest, program_id: int, name: str) -> HttpResponse:
    form_class, change, heading = SECTIONS[name]
    program = get_program_for(request.user, program_id)
    form = form_class.for_program(program, _posted(request))
    if form.is_valid():
        try:
            change(program=program, by=request.user, **form.arguments())
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _back_to_settings(
                program, _("%(section)s saved.") % {"section": heading}, request
            )
    return _form_page(request, form, program=program, heading=heading, button=_("Save"))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_general(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _section(request, program_id, "general")


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_languages(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _section(request, program_id, "languages")


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_schedule(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _section(request, program_id, "schedule")


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_safety(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _section(request, program_id, "safety")


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_reporting(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    return _section(request, program_id, "reporting")


def _experience_choices(program: Program, rows: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """The program's experiences, and any other a stored rule names (so no rule loses one)."""
    choices = {
        experience.slug: experience.name
        for experience in program.experiences.filter(is_active=True).order_by("name")
    }
    for row in rows:
        for slug in row.get("experiences", []):
            choices.setdefault(slug, slug)
    return list(choices.items())


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_rules(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    stored = rows_from_rules(program.eligibility_rules or [])
    experiences = _experience_choices(program, stored)
    add_row = "add_row" in request.POST
    formset = rule_formset(
        data=_posted(request),
        rows=stored,
        experiences=experiences,
        add_row=add_row,
        program=program,
    )
    problems: list[str] = []
    if request.method == "POST" and not add_row and formset.is_valid():
        try:
            services.change_eligibility_rules(
                program=program,
                by=request.user,
                rules=rules_from_rows(formset.rows()),
                statements=formset.statement_phrases(),
            )
        except services.SettingsError as error:
            problems = [problem for found in error.errors.values() for problem in found]
        except DomainError as error:
            problems = [error.message]
        else:
            return _back_to_settings(program, _("Eligibility rules saved."), request)
    return render(
        request,
        "programs/rules.html",
        {
            "program": program,
            "formset": formset,
            "problems": problems,
            "has_experiences": bool(experiences),
        },
    )


# ---- Sites and the first coordinator -------------------------------------------------------


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def add_site(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for(request.user, program_id)
    form = SiteForm(_posted(request))
    if form.is_valid():
        try:
            services.add_site(program=program, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _back_to_settings(program, _("Site added."), request)
    return _form_page(request, form, program=program, heading=_("Add a site"), button=_("Save"))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_site(request: AuthenticatedRequest, site_id: int) -> HttpResponse:
    site = get_site_for(request.user, site_id)
    form = SiteForm.for_site(site, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_site(site=site, by=request.user, **form.cleaned_data)
        except DomainError as error:
            show_refusal(form, error)
        else:
            return _back_to_settings(site.program, _("Site saved."), request)
    return _form_page(
        request, form, program=site.program, heading=_("Edit a site"), button=_("Save")
    )


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def appoint_coordinator(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_administered_by(request.user, program_id)
    form = CoordinatorForm(_posted(request), program=program)
    if form.is_valid():
        arguments = {**form.cleaned_data, "sites": list(form.cleaned_data.get("sites", []))}
        try:
            person, created = services.appoint_coordinator(
                program=program, by=request.user, **arguments
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            saved = (
                _(
                    "%(email)s is now on the team as %(role)s. Their account is new: we have "
                    "e-mailed them a link to choose their password."
                )
                if created
                else _("%(email)s is now on the team as %(role)s.")
            )
            role = Role(form.cleaned_data["role"]).label.lower()
            messages.success(request, saved % {"email": person.email, "role": role})
            return redirect("programs:team", program_id=program.pk)
    return _form_page(
        request,
        form,
        program=program,
        heading=_("Add someone to the team"),
        button=_("Add to the team"),
        intro=_(
            "Coordinators run the program day to day and can change all its settings. "
            "Supervisors support the peer supporters. Referrers are clinical staff who refer "
            "people to the program."
        ),
    )


# ---- The team -------------------------------------------------------------------------------

TEAM_PER_PAGE = 50


@signed_in(Role.ADMINISTRATOR)
@require_GET
def team(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    """The people on the program's team, their roles and the sites each is tied to."""
    program = get_program_administered_by(request.user, program_id)
    search = TeamSearchForm(request.GET)
    term = search.cleaned_data["q"] if search.is_valid() else ""
    page = page_of(team_of(program.pk, term), request, per_page=TEAM_PER_PAGE)
    return render(
        request,
        "programs/team.html",
        {
            "program": program,
            "search": search,
            "term": term,
            "page": page,
            "has_sites": queries.sites_of(program).exists(),
            "site_scoped_roles": SITE_SCOPED_ROLES,
        },
    )


@signed_in(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def change_team_role_sites(request: AuthenticatedRequest, membership_id: int) -> HttpResponse:
    membership = get_team_role_administered_by(request.user, membership_id)
    program = membership.program
    form = TeamRoleSitesForm(_posted(request), membership=membership)
    if request.method == "POST" and form.is_valid():
        try:
            services.tie_role_to_sites(
                membership=membership,
                by=request.user,
                sites=list(form.cleaned_data.get("sites", [])),
            )
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(
                request,
                _("The sites of %(name)s, %(role)s, are saved.")
                % {
                    "name": membership.user.display_name,
                    "role": membership.get_role_display().lower(),
                },
            )
            return redirect("programs:team", program_id=program.pk)
    return render(
        request,
        "programs/team_role_sites.html",
        {"program": program, "membership": membership, "form": form},
    )
