from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.access import PublicRequest, public, public_form_used_up
from alongside.core.errors import DomainError
from alongside.core.lists import list_page, list_response
from alongside.intake import hooks, queries, services
from alongside.intake.forms import SupportRequestForm
from alongside.intake.forms.phone import PhoneRequestForm
from alongside.intake.lists import REQUEST_QUEUE
from alongside.intake.models import Source
from alongside.intake.permissions import can_see_contact_details, get_request_for, is_staff_tied_to
from alongside.programs.models import Program
from alongside.programs.queries import holds_role_in, programs_staffed_by

SESSION_RECEIVED_KEY = "intake.received_request"
SESSION_CRISIS_KEY = "intake.signalled_crisis"


@public
@require_http_methods(["GET", "POST"])
def request_support(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(
        Program, slug=program_slug, is_active=True, accepts_public_requests=True
    )
    form = SupportRequestForm(request.POST or None, program=program)
    if request.method == "POST":
        if public_form_used_up(request, "intake.request_support", count_this_one=False):
            return render(
                request, "intake/too_many_requests.html", {"program": program}, status=429
            )
        if form.is_bot:
            return redirect("intake:request_received", program_slug=program.slug)
        if form.is_valid():
            try:
                support_request = services.submit_support_request(
                    program=program, source=Source.PUBLIC_FORM, **form.service_arguments()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                public_form_used_up(request, "intake.request_support", count_this_one=True)
                request.session[SESSION_RECEIVED_KEY] = support_request.pk
                crisis_answers = form.crisis_answers()
                request.session[SESSION_CRISIS_KEY] = bool(crisis_answers)
                if crisis_answers:
                    hooks.crisis_signalled(support_request, crisis_answers)
                return redirect("intake:request_received", program_slug=program.slug)
    return render(request, "intake/request_form.html", {"program": program, "form": form})


@public
@require_GET
def request_received(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=program_slug, is_active=True)
    received_id = request.session.get(SESSION_RECEIVED_KEY)
    support_request = queries.received_request(program, received_id)
    return render(
        request,
        "intake/request_received.html",
        {
            "program": program,
            "support_request": support_request,
            "zone": program.calendar.zone,
            "in_crisis": support_request is not None and request.session.get(SESSION_CRISIS_KEY),
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def take_call(request: AuthenticatedRequest) -> HttpResponse:
    """Where a call starts: the program it is for (straight to its form when there is one)."""
    programs = list(queries.programs_taking_calls(request.user))
    if len(programs) == 1:
        return redirect("intake:take_call_for", program_id=programs[0].pk)
    return render(request, "intake/take_call_choose.html", {"programs": programs})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def take_call_for(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_object_or_404(programs_staffed_by(request.user), pk=program_id)
    if not (program.is_active and program.accepts_phone_requests):
        return render(request, "intake/take_call.html", {"program": program, "form": None})
    form = PhoneRequestForm(request.POST or None, program=program)
    if form.is_valid():
        try:
            support_request = services.take_phone_request(
                program=program, taken_by=request.user, **form.service_arguments()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            crisis_answers = form.crisis_answers()
            if crisis_answers:
                hooks.crisis_signalled(support_request, crisis_answers)
            return redirect("intake:call_taken", request_id=support_request.pk)
    return render(request, "intake/take_call.html", {"program": program, "form": form})


@signed_in(*STAFF_ROLES)
@require_GET
def call_taken(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """What the call-taker tells the caller before hanging up, and does next."""
    support_request = get_request_for(request.user, request_id, write=True)
    if support_request.source != Source.PHONE:
        raise Http404
    services.record_request_viewed(
        support_request=support_request, viewer=request.user, contact_details=True
    )
    program = support_request.program
    return render(
        request,
        "intake/call_taken.html",
        {
            "program": program,
            "support_request": support_request,
            "zone": program.calendar.zone,
            "days_not_counted": queries.days_not_counted(support_request),
        }
        # safety: the urgent escalation the crisis screening raised, if it did.
        | hooks.call_taken_context(support_request),
    )


@signed_in(*STAFF_ROLES)
@require_GET
def request_queue(request: AuthenticatedRequest) -> HttpResponse:
    requests = list_page(REQUEST_QUEUE, request)
    return list_response(
        request,
        "intake/request_queue.html",
        {
            "list": requests,
            "page": requests.page,
            "chosen_program": requests.form.cleaned_data.get("program", ""),
            "can_export": True,  # the queue's viewers are all staff (reports.export_views)
        },
    )


# A supervisor reaches a request's page only to be offered break-glass (privacy) or a 404.
@signed_in(*STAFF_ROLES, Role.REFERRER, Role.SUPERVISOR)
@require_GET
def request_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    try:
        support_request = get_request_for(request.user, request_id, with_referral=True)
    except Http404:
        outside = hooks.request_outside_scope(request, request_id)
        if outside is None:
            raise
        return outside
    if not holds_role_in(
        request.user, STAFF_ROLES, support_request.program_id
    ) and not is_staff_tied_to(request.user, support_request):
        # A referrer follows their referral on their own page: it shows what the client agreed.
        return redirect("referrals:detail", request_id=support_request.pk)
    if request.htmx:
        in_place = hooks.request_page_in_place(request, support_request)
        if in_place is not None:
            return in_place
    can_see_contact = can_see_contact_details(request.user, support_request)
    services.record_request_viewed(
        support_request=support_request, viewer=request.user, contact_details=can_see_contact
    )
    context: dict[str, object] = {
        "support_request": support_request,
        "can_see_contact_details": can_see_contact,
        "current_match": support_request.matches.filter(status__in=["active", "paused"])
        .select_related("supporter__user")
        .first(),
    }
    # matching: the open proposal, the shortlist and the conflict form.
    context |= hooks.request_page_context(request, support_request)
    return render(request, "intake/request_detail.html", context)
