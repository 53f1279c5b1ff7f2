from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.accounts.queries import roles_of
from alongside.core.errors import DomainError
from alongside.core.lists import list_page, list_response
from alongside.programs.forms.translations import show_refusal
from alongside.programs.queries import programs_staffed_by
from alongside.resources import queries, services
from alongside.resources.forms import ImportForm, ResourceForm
from alongside.resources.lists import DIRECTORY_ROLES, RESOURCE_DIRECTORY
from alongside.resources.models import Resource


@signed_in(*DIRECTORY_ROLES)
@require_GET
def directory(request: AuthenticatedRequest) -> HttpResponse:
    resources = list_page(RESOURCE_DIRECTORY, request)
    is_staff = bool(roles_of(request.user) & STAFF_ROLES)
    return list_response(
        request,
        "resources/directory.html",
        {
            "list": resources,
            "page": resources.page,
            # Staff keep the directory and export it (reports.export_views); others read it.
            "can_maintain": is_staff,
            "can_export": is_staff,
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_resource(request: AuthenticatedRequest, resource_id: int | None = None) -> HttpResponse:
    programs = programs_staffed_by(request.user)
    resource = (
        get_object_or_404(Resource, pk=resource_id, program__in=programs) if resource_id else None
    )
    initial = (
        {
            "program": resource.program,
            **{name: getattr(resource, name) for name in services.RESOURCE_FIELDS},
            "is_active": resource.is_active,
        }
        if resource
        else {"program": programs.first()}
    )
    form = ResourceForm(request.POST or None, initial=initial, programs=programs)
    # Its texts in each language of its program (a new one's: the program chosen, else the first).
    chosen = (
        resource.program
        if resource
        else queries.program_chosen(programs, request.POST.get("program", ""))
    )
    if chosen is not None:
        form.offer_languages(chosen.content_languages(), resource)
    if form.is_valid():
        fields = form.arguments()
        program = fields.pop("program")
        try:
            services.save_resource(program=program, by=request.user, resource=resource, **fields)
        except DomainError as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect("resources:directory")
    return render(request, "resources/resource_form.html", {"form": form, "resource": resource})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def import_resources(request: AuthenticatedRequest) -> HttpResponse:
    programs = programs_staffed_by(request.user)
    form = ImportForm(
        request.POST or None,
        request.FILES or None,
        initial={"program": programs.first()},
        programs=programs,
    )
    if form.is_valid():
        try:
            result = services.import_resources(
                program=form.cleaned_data["program"],
                by=request.user,
                csv_text=form.cleaned_data["file"],
            )
        except DomainError as error:
            form.add_error("file", error.message)
        else:
            messages.success(
                request,
                _("Imported: %(added)s added, %(updated)s updated.")
                % {"added": result.added, "updated": result.updated},
            )
            return redirect("resources:directory")
    return render(request, "resources/import_form.html", {"form": form})


@signed_in(*STAFF_ROLES)
@require_GET
def referral_figures(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "resources/referrals.html", {"counts": queries.referral_counts(request.user)}
    )
