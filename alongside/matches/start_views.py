"""Starting a match from a request's shortlist: first what will happen, then, confirmed, doing it.

Starting sends introductions to two people at once, so the button on the shortlist opens a page
that says so (it works without JavaScript); only its own form starts the match. Pressing it
twice, or again after going back, starts nothing new: the second press finds the match.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.intake.models import SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.matches.forms import StartMatchForm
from alongside.matches.queries import open_match_between
from alongside.matches.services import lifecycle
from alongside.supporters.models import Supporter


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def start_match(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """GET: what starting this match will do, and the button that does it. POST: start it."""
    support_request = get_request_for(request.user, request_id, write=True)
    supporter = StartMatchForm(request.POST or request.GET).chosen_in(support_request.program_id)
    if supporter is None:
        messages.error(request, _("Please choose a supporter from the list."))
        return redirect("intake:request_detail", request_id=support_request.pk)
    started = open_match_between(support_request, supporter)
    if started is not None:
        messages.info(
            request,
            _("%(name)s is already matched with this person. Nothing was sent again.")
            % {"name": supporter.display_name},
        )
        return redirect("matches:detail", match_id=started.pk)
    try:
        if request.method == "GET":
            lifecycle.ensure_can_start(support_request, supporter)
            return _confirmation(request, support_request, supporter)
        match = lifecycle.start_match(
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


def _confirmation(
    request: AuthenticatedRequest, support_request: SupportRequest, supporter: Supporter
) -> HttpResponse:
    context = {"support_request": support_request, "peer": support_request.peer}
    return render(request, "matches/start_confirm.html", context | {"supporter": supporter})
