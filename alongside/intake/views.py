from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import get_usage

from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import program_ids_for
from alongside.core.access import AuthenticatedRequest, PublicRequest, public, signed_in
from alongside.core.errors import DomainError
from alongside.intake import queries, services
from alongside.intake.forms import SupportRequestForm
from alongside.intake.models import RequestStatus, Source, SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.matching.queries import shortlist
from alongside.programs.models import Program
from alongside.safety.services import raise_crisis_escalation

SESSION_RECEIVED_KEY = "intake.received_request"
SESSION_CRISIS_KEY = "intake.signalled_crisis"


def _public_form_usage(request: PublicRequest, *, count_this_one: bool) -> bool:
    """Whether this address has used up its submissions for the hour; counts this one if asked."""
    usage = get_usage(
        request,
        group="intake.request_support",
        key="ip",
        rate=f"{settings.PUBLIC_FORM_RATE_LIMIT}/h",
        method="POST",
        increment=count_this_one,
    )
    return usage is not None and usage["count"] >= usage["limit"]


@public
@require_http_methods(["GET", "POST"])
def request_support(request: PublicRequest, program_slug: str) -> HttpResponse:
    program = get_object_or_404(
        Program, slug=program_slug, is_active=True, accepts_public_requests=True
    )
    form = SupportRequestForm(request.POST or None, program=program)
    if request.method == "POST":
        if _public_form_usage(request, count_this_one=False):
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
                _public_form_usage(request, count_this_one=True)
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


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR)
@require_GET
def request_queue(request: AuthenticatedRequest) -> HttpResponse:
    programs = Program.objects.filter(pk__in=program_ids_for(request.user, STAFF_ROLES))
    program_id = request.GET.get("program", "")
    chosen = programs.filter(pk=program_id).first() if program_id.isdigit() else None
    waiting = queries.request_queue(request.user, program_id=chosen.pk if chosen else None)
    return render(
        request,
        "intake/request_queue.html",
        {"requests": waiting, "programs": programs, "chosen_program": chosen},
    )


@signed_in(Role.COORDINATOR, Role.ADMINISTRATOR, Role.REFERRER)
@require_GET
def request_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_request_for(request.user, request_id)
    services.record_request_viewed(support_request=support_request, viewer=request.user)
    can_match = support_request.status == RequestStatus.NEW and support_request.program_id in set(
        program_ids_for(request.user, STAFF_ROLES)
    )
    return render(
        request,
        "intake/request_detail.html",
        {
            "support_request": support_request,
            "candidates": shortlist(support_request) if can_match else [],
            "can_match": can_match,
            "current_match": support_request.matches.filter(status__in=["active", "paused"])
            .select_related("supporter__user")
            .first(),
        },
    )
