from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.models import Role
from alongside.core.access import AuthenticatedRequest, signed_in
from alongside.core.errors import DomainError
from alongside.intake.permissions import get_request_for
from alongside.matches import queries, services
from alongside.matches.forms import ContactLogForm, StartMatchForm
from alongside.matches.permissions import get_match_for
from alongside.supporters.models import Supporter


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR)
@require_POST
def start_match(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_request_for(request.user, request_id, write=True)
    form = StartMatchForm(request.POST)
    supporter = (
        Supporter.objects.filter(
            program_id=support_request.program_id, pk=form.cleaned_data["supporter"]
        ).first()
        if form.is_valid()
        else None
    )
    if supporter is None:
        messages.error(request, _("Please choose a supporter from the list."))
        return redirect("intake:request_detail", request_id=support_request.pk)
    try:
        match = services.start_match(
            support_request=support_request, supporter=supporter, started_by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("intake:request_detail", request_id=support_request.pk)
    messages.success(
        request,
        _("Matched with %(name)s. Introductions are on their way.")
        % {"name": supporter.display_name},
    )
    return redirect("matches:detail", match_id=match.pk)


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR, Role.SUPERVISOR, Role.SUPPORTER)
@require_GET
def match_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "matches/match_list.html", {"matches": queries.matches_for_list(request.user)}
    )


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR, Role.SUPERVISOR, Role.SUPPORTER)
@require_GET
def match_detail(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id)
    services.record_match_viewed(match=match, viewer=request.user)
    return render(
        request,
        "matches/match_detail.html",
        {
            "match": match,
            "peer": match.request.peer,
            "hours": queries.hours_for(match),
            "contacts": queries.contacts_for(match),
            "is_supporter": match.supporter.user_id == request.user.pk,
        },
    )


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR, Role.SUPPORTER)
@require_http_methods(["GET", "POST"])
def log_contact(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, write=True)
    form = ContactLogForm(request.POST or None, match=match)
    if form.is_valid():
        try:
            services.log_contact(match=match, logged_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("matches:detail", match_id=match.pk)
    return render(request, "matches/contact_form.html", {"match": match, "form": form})
