"""Offboarding a supporter: a break, alumni or withdrawn, deciding where each open match goes.

The page sits on the supporter's record (/supporters/<id>/offboard/) but lives here, above
supporters, because handing over matches is matches' work (docs/adr/0003).
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.matches.forms import OffboardForm
from alongside.matches.queries import handover_candidates
from alongside.matches.services.offboarding import offboard_supporter, open_matches_of
from alongside.supporters.permissions import get_supporter_for


def _changed(count: int) -> str:
    if not count:
        return _("Status changed.")
    return ngettext(
        "Status changed. Their open match went where you chose.",
        "Status changed. Each of their %(count)d open matches went where you chose.",
        count,
    ) % {"count": count}


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def offboard(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Move a supporter on a break, to alumni or withdrawn, deciding where each match goes."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    open_matches = open_matches_of(supporter)
    form = OffboardForm(
        request.POST or None,
        supporter=supporter,
        open_matches=open_matches,
        candidates=list(handover_candidates(supporter)),
    )
    if request.method == "POST" and form.is_valid():
        try:
            offboard_supporter(
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
            messages.success(request, _changed(len(open_matches)))
            return redirect("supporters:detail", supporter_id=supporter.pk)
    return render(
        request,
        "matches/offboard.html",
        {"supporter": supporter, "form": form, "open_matches": open_matches},
    )
