"""Matching's part of a supporter's page: the form that matches them with a waiting request.

Registered with supporters (below matching) in MatchingConfig.ready; see
alongside/supporters/hooks.py. The form posts to `match_supporter`, served here at the path the
supporter's page always used.
"""

from typing import Any
from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.services.lifecycle import ensure_can_start
from alongside.matching.forms import MatchSupporterForm
from alongside.supporters.models import Supporter
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.views.pipeline import render_supporter_page


def waiting_request_choices(supporter: Supporter) -> list[tuple[int, str]]:
    """The new requests of the supporter's program, as the match form offers them."""
    waiting = SupportRequest.objects.filter(
        program_id=supporter.program_id, status=RequestStatus.NEW
    ).select_related("peer")
    return [(item.pk, f"{item.peer.first_name} · #{item.pk}") for item in waiting]


def supporter_page_panel(supporter: Supporter) -> dict[str, Any]:
    """The form (and where it posts) that supporters' page shows in its Match section."""
    return {
        "match_form": MatchSupporterForm(choices=waiting_request_choices(supporter)),
        "match_action": reverse("matching:match_supporter", args=[supporter.pk]),
    }


@signed_in(*STAFF_ROLES)
@require_POST
def match_supporter(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Choose a waiting request for this supporter; the next page says what starting the match
    sends, and starts it. A pair that cannot start is refused here, with the reason."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    form = MatchSupporterForm(request.POST, choices=waiting_request_choices(supporter))
    if form.is_valid():
        support_request = SupportRequest.objects.get(pk=form.cleaned_data["request"])
        try:
            ensure_can_start(support_request, supporter)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            confirm = reverse("matches:start", args=[support_request.pk])
            return redirect(f"{confirm}?{urlencode({'supporter': supporter.pk})}")
    return render_supporter_page(request, supporter, match_form=form)
