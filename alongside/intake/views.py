from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_htmx.http import HttpResponseClientRefresh

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.access import PublicRequest, public, public_form_used_up
from alongside.core.errors import DomainError
from alongside.intake import queries, services
from alongside.intake.forms import SupportRequestForm
from alongside.intake.forms.phone import PhoneRequestForm
from alongside.intake.models import RequestStatus, Source, SupportRequest
from alongside.intake.permissions import can_see_contact_details, get_request_for
from alongside.matching.forms import ConflictForm, WhyNotForm
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.matching.queries import shortlist
from alongside.matching.snapshot import GONE
from alongside.programs.models import Program
from alongside.programs.queries import holds_role_in, program_ids_for, programs_staffed_by
from alongside.safety.queries import crisis_escalation_for
from alongside.safety.services.crisis import raise_crisis_escalation
from alongside.supporters.models import Supporter

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
                    raise_crisis_escalation(support_request=support_request, answers=crisis_answers)
                return redirect("intake:request_received", program_slug=program.slug)
    return render(request, "intake/request_form.html", {"program": program, "form": form})


@public
@require_GET
def request_received(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(Program, slug=program_slug, is_active=True)
    received_id = request.session.get(SESSION_RECEIVED_KEY)
    support_request = (
        SupportRequest.objects.filter(pk=received_id, program=program).first()
        if isinstance(received_id, int)
        else None
    )
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
                raise_crisis_escalation(support_request=support_request, answers=crisis_answers)
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
            "crisis_escalation": crisis_escalation_for(support_request),
            "days_not_counted": queries.days_not_counted(support_request),
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def request_queue(request: AuthenticatedRequest) -> HttpResponse:
    programs = programs_staffed_by(request.user)
    program_id = request.GET.get("program", "")
    chosen = programs.filter(pk=program_id).first() if program_id.isdigit() else None
    waiting = queries.request_queue(request.user, program_id=chosen.pk if chosen else None)
    return render(
        request,
        "intake/request_queue.html",
        {"requests": waiting, "programs": programs, "chosen_program": chosen},
    )


@signed_in(*STAFF_ROLES, Role.REFERRER)
@require_GET
def request_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_request_for(request.user, request_id)
    if not holds_role_in(request.user, STAFF_ROLES, support_request.program_id):
        # A referrer follows their referral on their own page: it shows what the client agreed.
        return redirect("referrals:detail", request_id=support_request.pk)
    if request.htmx and "supporter" in request.GET:
        return _why_not_in_place(request, support_request)
    can_see_contact = can_see_contact_details(request.user, support_request)
    services.record_request_viewed(
        support_request=support_request, viewer=request.user, contact_details=can_see_contact
    )
    can_match = _can_match(request, support_request)
    open_proposal = _open_proposal(support_request)
    context: dict[str, object] = {
        "support_request": support_request,
        "can_see_contact_details": can_see_contact,
        "can_match": can_match,
        "open_proposal": open_proposal,
        "current_match": support_request.matches.filter(status__in=["active", "paused"])
        .select_related("supporter__user")
        .first(),
    }
    if can_match:
        supporters = _supporters_to_match(support_request)
        context["conflict_form"] = ConflictForm(supporters=supporters, prefix="conflict")
        if open_proposal is None:
            context.update(_matching_context(request, support_request, supporters))
    return render(request, "intake/request_detail.html", context)


def _can_match(request: AuthenticatedRequest, support_request: SupportRequest) -> bool:
    return support_request.status == RequestStatus.NEW and support_request.program_id in set(
        program_ids_for(request.user, STAFF_ROLES)
    )


def _open_proposal(support_request: SupportRequest) -> Proposal | None:
    return (
        support_request.proposals.filter(status__in=HOLDING_STATUSES)
        .select_related("supporter__user")
        .first()
    )


def _supporters_to_match(support_request: SupportRequest) -> list[Supporter]:
    """Everyone in the program who is not gone, by name: the pickers of the request page."""
    supporters = list(
        Supporter.objects.filter(program_id=support_request.program_id)
        .exclude(status__in=GONE)
        .select_related("user")
    )
    supporters.sort(key=lambda supporter: supporter.display_name.casefold())
    return supporters


def _why_not_in_place(
    request: AuthenticatedRequest, support_request: SupportRequest
) -> HttpResponse:
    """The answer to "why not this person?" alone, under its form. It shows no detail of the
    peer, so the page's viewing (audited when it loaded) is not recorded again."""
    if not _can_match(request, support_request) or _open_proposal(support_request):
        # Matched or proposed since the page loaded: the whole page has changed.
        return HttpResponseClientRefresh()
    context = _matching_context(request, support_request, _supporters_to_match(support_request))
    context["support_request"] = support_request
    return render(request, "matching/_shortlist.html#why-not", context)


def _matching_context(
    request: AuthenticatedRequest, support_request: SupportRequest, supporters: list[Supporter]
) -> dict[str, object]:
    """The shortlist, and the answer to "why not this person?" when one was asked."""
    form = WhyNotForm(request.GET if "supporter" in request.GET else None, supporters=supporters)
    asked = (
        next(one for one in supporters if one.pk == form.cleaned_data["supporter"])
        if form.is_bound and form.is_valid()
        else None
    )
    found = shortlist(support_request, explain=asked)
    # The question is about those not on the list; the list already says why they are.
    shown = {candidate.supporter.pk for candidate in found.candidates}
    form.only_about([supporter for supporter in supporters if supporter.pk not in shown])
    return {
        "shortlist": found,
        "candidates": found.candidates,
        "why_not_form": form,
        "answer": found.answer,
    }
