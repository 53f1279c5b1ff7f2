"""Matching's part of a supporter's page: the form that matches them with a waiting request.

Registered with supporters (below matching) in MatchingConfig.ready; see
alongside/supporters/hooks.py. The form posts to `match_supporter`, served here at the path the
supporter's page always used. The request is chosen with a picker (core.pickers): the requests
waiting longest, or any other found by the person's first name or the request's number.
"""

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.errors import DomainError
from alongside.core.pickers import answer_search, set_picker
from alongside.intake.pickers import waiting_request_source
from alongside.matches.services.lifecycle import ensure_can_start
from alongside.matching.forms import MatchSupporterForm
from alongside.programs.queries import holds_role_in
from alongside.supporters.models import Supporter
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.views.pipeline import render_supporter_page


def match_form(request: HttpRequest, supporter: Supporter, data: Any = None) -> MatchSupporterForm:
    """The form; its search box belongs to the supporter page's GET form "match-search"."""
    form = MatchSupporterForm(data)
    set_picker(
        form,
        "request",
        source=waiting_request_source(supporter.program_id),
        search_url=reverse("matching:search_waiting_requests", args=[supporter.pk]),
        searched=request.GET,
        search_form="match-search",
    )
    return form


def _matched_by(user: User, supporter_id: int) -> Supporter:
    """A supporter the user may match: matching stays with the program's central team, whose
    picker lists the whole program's waiting requests (ADR 0013); 404 for anyone else."""
    supporter = get_supporter_for(user, supporter_id, write=True)
    if not holds_role_in(user, STAFF_ROLES, supporter.program_id):
        raise Http404
    return supporter


def supporter_page_panel(request: HttpRequest, supporter: Supporter) -> dict[str, Any]:
    """The form (and where it posts) that supporters' page shows in its Match section, to the
    program's central team only (a staff member tied to sites does not match)."""
    if not holds_role_in(request.user, STAFF_ROLES, supporter.program_id):  # type: ignore[arg-type]
        return {}
    return {
        "match_form": match_form(request, supporter),
        "match_action": reverse("matching:match_supporter", args=[supporter.pk]),
    }


@signed_in(*STAFF_ROLES)
@require_GET
def search_waiting_requests(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """The waiting requests the typed name or number finds, for the supporter's match form."""
    supporter = _matched_by(request.user, supporter_id)
    return answer_search(request, waiting_request_source(supporter.program_id))


@signed_in(*STAFF_ROLES)
@require_POST
def match_supporter(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Choose a waiting request for this supporter; the next page says what starting the match
    sends, and starts it. A pair that cannot start is refused here, with the reason."""
    supporter = _matched_by(request.user, supporter_id)
    form = match_form(request, supporter, request.POST)
    if form.is_valid():
        support_request = form.cleaned_data["request"]
        try:
            ensure_can_start(support_request, supporter)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            confirm = reverse("matches:start", args=[support_request.pk])
            return redirect(f"{confirm}?{urlencode({'supporter': supporter.pk})}")
    return render_supporter_page(request, supporter, match_form=form)
