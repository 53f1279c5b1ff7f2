"""The public application form, and a coordinator reading an application."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.access import PublicRequest, public, public_form_used_up
from alongside.core.errors import DomainError
from alongside.programs.models import Program
from alongside.supporters import queries
from alongside.supporters.forms.applications import ApplicationForm, OverrideForm
from alongside.supporters.hooks import application_page_context
from alongside.supporters.permissions import get_application_for
from alongside.supporters.services import applications

SESSION_APPLICATION_KEY = "supporters.received_application"


@public
@require_http_methods(["GET", "POST"])
def apply(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(
        Program, slug=program_slug, is_active=True, recruits_supporters=True
    )
    # Someone applying has no account: "this month" is the program's, not the server's.
    with timezone.override(program.calendar.zone):
        return _apply(request, program)


def _apply(request: PublicRequest, program: Program) -> HttpResponse:
    form = ApplicationForm(request.POST or None, program=program)
    if request.method == "POST":
        if public_form_used_up(request, "supporters.apply", count_this_one=False):
            return render(
                request, "supporters/too_many_applications.html", {"program": program}, status=429
            )
        if form.is_bot:
            return redirect("supporters:applied", program_slug=program.slug)
        if form.is_valid():
            try:
                application = applications.submit_application(
                    program=program,
                    submission_token=form.cleaned_data["submission_token"],
                    answers=form.answers(),
                    consent=form.cleaned_data["consent"],
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                public_form_used_up(request, "supporters.apply", count_this_one=True)
                request.session[SESSION_APPLICATION_KEY] = application.pk
                return redirect("supporters:applied", program_slug=program.slug)
    return render(request, "supporters/apply.html", {"program": program, "form": form})


@public
@require_GET
def applied(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(
        Program, slug=program_slug, is_active=True, recruits_supporters=True
    )
    received_id = request.session.get(SESSION_APPLICATION_KEY)
    application = queries.received_application(program, received_id)
    return render(
        request, "supporters/applied.html", {"program": program, "application": application}
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def application_detail(request: AuthenticatedRequest, application_id: int) -> HttpResponse:
    application = get_application_for(request.user, application_id)
    form = OverrideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            supporter = applications.override_eligibility(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Accepted. They are now on the board."))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    applications.record_application_viewed(application=application, viewer=request.user)
    # privacy: the applicant's consents.
    context = {"application": application, "form": form}
    context |= application_page_context(request, application)
    return render(request, "supporters/application.html", context)
