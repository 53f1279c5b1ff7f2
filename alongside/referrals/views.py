from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.intake.referrals import (
    REFERRAL_CONSENT,
    programs_referred_to_by,
    record_referral_viewed,
    refer_client,
)
from alongside.referrals.forms import ReferralForm
from alongside.referrals.permissions import get_referral_for
from alongside.referrals.queries import referral_list, what_the_referrers_see

REFERRALS_PER_PAGE = 20


@signed_in(Role.REFERRER)
@require_GET
def my_referrals(request: AuthenticatedRequest) -> HttpResponse:
    page = Paginator(referral_list(request.user), REFERRALS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "page": page,
            "rows": what_the_referrers_see(list(page.object_list)),
            "can_refer": bool(programs_referred_to_by(request.user)),
        },
    )


@signed_in(Role.REFERRER)
@require_GET
def referral_detail(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_referral_for(request.user, request_id)
    record_referral_viewed(support_request=support_request, viewer=request.user)
    (seen,) = what_the_referrers_see([support_request], with_summary=True)
    return render(request, "referrals/referral_detail.html", {"seen": seen})


@signed_in(Role.REFERRER)
@require_GET
def choose_program(request: AuthenticatedRequest) -> HttpResponse:
    """Where to refer: straight to the form when the user refers to one program only."""
    programs = programs_referred_to_by(request.user)
    if len(programs) == 1:
        return redirect("referrals:refer", program_slug=programs[0].slug)
    return render(request, "referrals/choose_program.html", {"programs": programs})


@signed_in(Role.REFERRER)
@require_http_methods(["GET", "POST"])
def refer(request: AuthenticatedRequest, program_slug: str) -> HttpResponse:
    program = next(
        (one for one in programs_referred_to_by(request.user) if one.slug == program_slug), None
    )
    if program is None:
        raise Http404("Not a program this user refers to.")
    form = ReferralForm(request.POST or None, program=program)
    if form.is_valid():
        try:
            support_request = refer_client(
                program=program, referrer=request.user, **form.service_arguments()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you: the referral is sent. You will hear when it is matched."),
            )
            return redirect("referrals:detail", request_id=support_request.pk)
    return render(
        request,
        "referrals/refer.html",
        {"program": program, "form": form, "consent_text": REFERRAL_CONSENT},
    )
