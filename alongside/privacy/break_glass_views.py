"""Break-glass pages: a program member opens a request outside their scope in an emergency
(after confirming it is them), and the program's privacy lead reviews it (`break_glass`)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.access import AuthenticatedRequest, confirm_it_is_them, signed_in
from alongside.accounts.models import AUDIT_ROLES
from alongside.core.errors import DomainError
from alongside.intake import services as intake
from alongside.intake.models import SupportRequest
from alongside.privacy import break_glass
from alongside.privacy.break_glass import BREAK_GLASS_ROLES
from alongside.privacy.forms import BreakGlassForm, BreakGlassReviewForm
from alongside.privacy.models import BreakGlassOutcome

REVIEWS_PER_PAGE = 25

# A GET shows the form without asking; the POST that opens the record asks for the password
# first (and resumes).
ask_who_it_is = confirm_it_is_them(allow_get=True)


@signed_in(*BREAK_GLASS_ROLES)
@require_http_methods(["GET", "POST"])
def open_record(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """The request outside the member's scope: while their emergency access lasts, the record
    with a banner; otherwise the form asking why, which shows nothing of the person."""
    support_request = break_glass.request_outside_scope(request.user, request_id)
    if support_request is None:
        raise Http404
    access = break_glass.access_in_force(request.user, support_request)
    if access is not None:
        intake.record_request_viewed(
            support_request=support_request, viewer=request.user, contact_details=True
        )
        return render(
            request,
            "privacy/break_glass_record.html",
            {"support_request": support_request, "access": access},
        )
    return _ask_why(request, support_request)


@ask_who_it_is
def _ask_why(request: AuthenticatedRequest, support_request: SupportRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "GET":
        break_glass.note_offered(user=request.user, support_request=support_request)
    if form.is_valid():
        try:
            break_glass.open_break_glass(
                support_request=support_request, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            return redirect("privacy:break_glass", request_id=support_request.pk)
    return render(request, "privacy/break_glass.html", {"form": form, "number": support_request.pk})


@signed_in(*AUDIT_ROLES)
@require_http_methods(["GET"])
def reviews(request: AuthenticatedRequest) -> HttpResponse:
    """The emergency accesses of the lead's programs, the ones to review first; a page at a
    time."""
    page = Paginator(break_glass.reviewable_by(request.user), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "privacy/break_glass_reviews.html", {"page": page})


@signed_in(*AUDIT_ROLES)
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedRequest, access_id: int) -> HttpResponse:
    """One emergency access: who, which request, when, why; marked justified or not."""
    access = break_glass.get_access_for(request.user, access_id)
    form = BreakGlassReviewForm(request.POST if request.method == "POST" else None)
    if access.reviewed_at is None and form.is_valid():
        try:
            break_glass.review_break_glass(
                access=access,
                by=request.user,
                outcome=BreakGlassOutcome(form.cleaned_data["outcome"]),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Review saved."))
            return redirect("privacy:break_glass_reviews")
    return render(request, "privacy/break_glass_review.html", {"access": access, "form": form})
