from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.audit import record_event
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.core.forms import first_error
from alongside.core.lists import list_page, list_response
from alongside.matches.permissions import get_match_for
from alongside.programs.queries import programs_staffed_by
from alongside.safety import queries
from alongside.safety.forms import (
    EscalationForm,
    MobilePhoneForm,
    NoteForm,
    ResolveForm,
    ShiftForm,
)
from alongside.safety.lists import ESCALATION_LIST
from alongside.safety.models import OnCallShift
from alongside.safety.permissions import can_manage, get_escalation_for, get_shift_for
from alongside.safety.services import escalations, on_call


@signed_in(*STAFF_ROLES, Role.SUPPORTER)
@require_http_methods(["GET", "POST"])
def raise_for_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, write=True)
    form = EscalationForm(request.POST or None)
    if form.is_valid():
        try:
            escalation = escalations.raise_escalation(
                program=match.program,
                raised_by=request.user,
                match=match,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you. Your escalation was sent."))
            return redirect("safety:escalation_detail", escalation_id=escalation.pk)
    return render(request, "safety/escalation_form.html", {"match": match, "form": form})


@signed_in(*STAFF_ROLES)
@require_GET
def escalation_list(request: AuthenticatedRequest) -> HttpResponse:
    escalations = list_page(ESCALATION_LIST, request)
    return list_response(
        request,
        "safety/escalation_list.html",
        {
            "list": escalations,
            "page": escalations.page,
            "escalations": escalations.page.object_list,
            "can_export": True,  # the list's viewers are all staff (reports.export_views)
        },
    )


@signed_in()
@require_GET
def escalation_detail(request: AuthenticatedRequest, escalation_id: int) -> HttpResponse:
    escalation = get_escalation_for(request.user, escalation_id)
    manages = can_manage(request.user, escalation)
    record_event(actor=request.user, action="safety.escalation.viewed", target=escalation)
    return render(
        request,
        "safety/escalation_detail.html",
        {
            "escalation": escalation,
            "manages": manages,
            "timeline": queries.timeline_for(escalation),
            "note_form": NoteForm(),
            "resolve_form": ResolveForm(),
        },
    )


@signed_in(*STAFF_ROLES)
@require_POST
def acknowledge(request: AuthenticatedRequest, escalation_id: int) -> HttpResponse:
    escalation = get_escalation_for(request.user, escalation_id, manage=True)
    try:
        escalations.acknowledge_escalation(escalation=escalation, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You have it. The supporter has been told."))
    return redirect("safety:escalation_detail", escalation_id=escalation.pk)


@signed_in(*STAFF_ROLES)
@require_POST
def add_note(request: AuthenticatedRequest, escalation_id: int) -> HttpResponse:
    escalation = get_escalation_for(request.user, escalation_id, manage=True)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            escalations.add_escalation_note(
                escalation=escalation, actor=request.user, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Note added."))
    else:
        messages.error(request, first_error(form))
    return redirect("safety:escalation_detail", escalation_id=escalation.pk)


@signed_in(*STAFF_ROLES)
@require_POST
def resolve(request: AuthenticatedRequest, escalation_id: int) -> HttpResponse:
    escalation = get_escalation_for(request.user, escalation_id, manage=True)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            escalations.resolve_escalation(
                escalation=escalation, actor=request.user, outcome=form.cleaned_data["outcome"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Escalation resolved."))
    else:
        messages.error(request, first_error(form))
    return redirect("safety:escalation_detail", escalation_id=escalation.pk)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def rota(request: AuthenticatedRequest) -> HttpResponse:
    programs = programs_staffed_by(request.user)
    form = ShiftForm(request.POST or None, programs=programs)
    if form.is_valid():
        try:
            on_call.add_on_call_shift(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Shift added."))
            return redirect("safety:rota")
    return render(
        request,
        "safety/rota.html",
        {
            "form": form,
            "shifts": queries.upcoming_shifts(request.user),
            "gaps": queries.coverage_gaps_for(request.user),
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def remove_shift(request: AuthenticatedRequest, shift_id: int) -> HttpResponse:
    """GET: whose shift goes and who hears of it, and the button. POST: remove it."""
    shift = get_shift_for(request.user, shift_id)
    if request.method == "GET":
        return confirmation_page(request, _remove_shift_confirmation(shift))
    on_call.remove_on_call_shift(shift=shift, actor=request.user)
    messages.success(request, _("Shift removed."))
    return redirect("safety:rota")


def _remove_shift_confirmation(shift: OnCallShift) -> Confirmation:
    names = {
        "name": shift.user.display_name,
        "role": shift.get_order_display(),
        "starts": date_format(localtime(shift.starts_at), "SHORT_DATETIME_FORMAT"),
        "ends": date_format(localtime(shift.ends_at), "SHORT_DATETIME_FORMAT"),
    }
    return Confirmation(
        title=_("Remove the shift of %(name)s?") % names,
        happens=[
            _("%(name)s is no longer on call (%(role)s) from %(starts)s to %(ends)s.") % names,
            _("Urgent escalations in that time go to whoever else is on call, if anyone."),
            _("Nobody is sent a message, not even %(name)s: tell them yourself.") % names,
            _("It cannot be undone; you can add the shift again."),
        ],
        button=_("Remove the shift"),
        back_url=reverse("safety:rota"),
        danger=True,
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def my_urgent_contact(request: AuthenticatedRequest) -> HttpResponse:
    current = queries.safety_contact_of(request.user)
    form = MobilePhoneForm(
        request.POST or None, initial={"mobile_phone": current.mobile_phone if current else ""}
    )
    if form.is_valid():
        phone = form.cleaned_data["mobile_phone"]
        on_call.set_mobile_phone(user=request.user, mobile_phone=str(phone) if phone else "")
        messages.success(request, _("Saved."))
        return redirect("safety:rota")
    return render(request, "safety/urgent_contact.html", {"form": form})
