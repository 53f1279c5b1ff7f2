"""A program's retention and what it would remove today; legal holds placed and lifted from a
person's request page and a match's page. For the program's staff (coordinators and
administrators), who change its settings."""

from collections.abc import Callable

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.intake.models import SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.matches.permissions import get_match_for
from alongside.privacy import retention, services
from alongside.privacy.forms import LegalHoldForm, LiftHoldForm, RetentionForm
from alongside.privacy.models import LegalHold, RetentionKind
from alongside.programs.permissions import get_program_for
from alongside.programs.queries import holds_role_in


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def retention_settings(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    """How many months the program keeps each kind of record past use; saved on POST."""
    program = get_program_for(request.user, program_id)
    policy = retention.policy_of(program)
    initial = {f"{kind}_months": policy.months(kind) for kind in RetentionKind.values}
    form = RetentionForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            services.set_retention(program=program, by=request.user, months=form.months())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Retention saved."))
            return redirect("privacy:retention", program_id=program.pk)
    return render(
        request, "privacy/retention.html", {"program": program, "form": form, "policy": policy}
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET"])
def retention_dry_run(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    """How many records of each kind would go today, and until when each kind is kept: counts
    only, never a name."""
    program = get_program_for(request.user, program_id)
    policy = retention.policy_of(program)
    today = timezone.localdate()
    counts = retention.due_counts(program, today)
    rows = [
        {
            "kind": kind.label,
            "months": policy.months(kind),
            "before": retention.months_before(today, policy.months(kind)).date(),
            "count": counts[kind],
        }
        for kind in RetentionKind
    ]
    held = LegalHold.objects.in_force().filter(program=program).count()
    return render(
        request,
        "privacy/retention_dry_run.html",
        {"program": program, "rows": rows, "today": today, "held": held},
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def hold_person(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """Place a legal hold on the person of this request: none of their records goes."""
    support_request = get_request_for(request.user, request_id, write=True)
    if not holds_role_in(request.user, STAFF_ROLES, support_request.program_id):
        raise Http404
    return _place_hold(
        request,
        lambda reason: services.place_legal_hold(
            by=request.user, reason=reason, peer=support_request.peer
        ),
        back_url=reverse("intake:request_detail", args=[support_request.pk]),
        placed=_("Legal hold placed: nothing of this person's goes."),
        heading=_("Place a legal hold on this person"),
        what=_(
            "While the hold is in force, none of this person's requests, matches or the "
            "audit events about them is de-identified or deleted, however old."
        ),
        subject=_("Request #%(number)s") % {"number": support_request.pk},
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def hold_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    """Place a legal hold on this match: neither it nor its person's request goes."""
    match = get_match_for(request.user, match_id, manage=True)
    return _place_hold(
        request,
        lambda reason: services.place_legal_hold(by=request.user, reason=reason, match=match),
        back_url=reverse("matches:detail", args=[match.pk]),
        placed=_("Legal hold placed: nothing of this match goes."),
        heading=_("Place a legal hold on this match"),
        what=_(
            "While the hold is in force, neither this match (its contacts, goals and "
            "check-ins) nor the request it answers is de-identified, however old."
        ),
        subject=_("Match #%(number)s") % {"number": match.pk},
    )


def _place_hold(
    request: AuthenticatedRequest,
    place: Callable[[str], object],
    *,
    back_url: str,
    placed: str,
    **page: str,
) -> HttpResponse:
    """The hold form: on a valid reason, `place(reason)`, then back where it was asked from."""
    form = LegalHoldForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            place(form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, placed)
            return redirect(back_url)
    return render(request, "privacy/hold.html", {"form": form, "back_url": back_url, **page})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def lift_hold(request: AuthenticatedRequest, hold_id: int) -> HttpResponse:
    """Lift a legal hold, with the reason; back to the page it was placed from."""
    hold = get_object_or_404(LegalHold.objects.visible_to(request.user), pk=hold_id)
    back_url = _page_of(hold)
    if not hold.in_force:
        messages.info(request, _("This legal hold was already lifted."))
        return redirect(back_url)
    form = LiftHoldForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.lift_legal_hold(hold=hold, by=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Legal hold lifted."))
            return redirect(back_url)
    return render(
        request, "privacy/lift_hold.html", {"hold": hold, "form": form, "back_url": back_url}
    )


def _page_of(hold: LegalHold) -> str:
    if hold.match_id is not None:
        return reverse("matches:detail", args=[hold.match_id])
    assert hold.peer_id is not None  # a hold is on a match or a person
    requests = SupportRequest.objects.filter(peer_id=hold.peer_id).order_by("-received_at")
    return reverse("intake:request_detail", args=[requests.values_list("pk", flat=True).first()])
