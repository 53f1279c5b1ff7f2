"""Offboarding a supporter, and bringing one back from a break."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.supporters import queries
from alongside.supporters.forms.offboarding import OffboardForm
from alongside.supporters.models import SupporterStatus
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.services import offboarding


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def offboard(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Move a supporter on a break, to alumni or withdrawn, deciding where each match goes."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    open_matches = list(
        supporter.matches.open().select_related("request__peer").order_by("started_at", "pk")
    )
    form = OffboardForm(
        request.POST or None,
        supporter=supporter,
        open_matches=open_matches,
        candidates=list(queries.handover_candidates(supporter)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            offboarding.offboard_supporter(
                supporter=supporter,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                away_until=form.cleaned_data["away_until"],
                hand_overs=form.hand_overs(),
                note=form.cleaned_data["note"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "Status changed. Their open match went where you chose.",
                    "Status changed. Each of their %(count)d open matches went where you chose.",
                    len(open_matches),
                )
                % {"count": len(open_matches)}
                if open_matches
                else _("Status changed."),
            )
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render(
        request,
        "supporters/offboard.html",
        {"supporter": supporter, "form": form, "open_matches": open_matches},
    )


@signed_in(*STAFF_ROLES)
@require_POST
def return_from_break(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    try:
        supporter = offboarding.return_from_break(supporter=supporter, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if supporter.status == SupporterStatus.ACTIVE:
            messages.success(
                request, _("Welcome back: %(name)s is active again.") % {"name": supporter}
            )
        else:
            messages.warning(
                request,
                _("%(name)s is back, but paused from new matches until what is missing is done.")
                % {"name": supporter},
            )
    return redirect("supporters:detail", supporter_id=supporter.pk)
