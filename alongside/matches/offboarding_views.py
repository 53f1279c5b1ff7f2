"""Offboarding a supporter: a break, alumni or withdrawn, deciding where each open match goes.

The page sits on the supporter's record (/supporters/<id>/offboard/) but lives here, above
supporters, because handing over matches is matches' work (docs/adr/0003).
"""

from dataclasses import replace

from django.contrib import messages
from django.db.models import F, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.core.pickers import Option, Source, answer_search
from alongside.matches.forms import OffboardForm
from alongside.matches.queries import handover_candidates
from alongside.matches.services.offboarding import offboard_supporter, open_matches_of
from alongside.supporters.models import Supporter
from alongside.supporters.permissions import get_supporter_for
from alongside.supporters.pickers import supporter_source

# Before anything is typed, each match's picker offers this many with the most room.
SUGGESTED = 5


def places_taken(candidate: Supporter) -> Option:
    """The name, with the places they have left (and their site)."""
    detail = [
        _("%(open)s of %(places)s places taken")
        % {
            "open": getattr(candidate, "open_match_count", 0),
            "places": candidate.max_concurrent_matches,
        }
    ]
    if candidate.site is not None:
        detail.append(candidate.site.name)
    return Option(candidate.pk, candidate.display_name, " · ".join(detail))


def with_most_room(candidates: QuerySet[Supporter]) -> QuerySet[Supporter]:
    room = F("max_concurrent_matches") - F("open_match_count")
    return candidates.order_by(room.desc(), "user__first_name", "pk")[:SUGGESTED]


def handover_source(supporter: Supporter) -> Source[Supporter]:
    """Whom a match of the supporter may go to: their program's other active supporters (the
    hand-over checks the pair like any new match); those with the most room are offered first."""
    return replace(
        supporter_source(handover_candidates(supporter), describe=places_taken),
        suggested=with_most_room,
        suggested_text=_("Those with the most room. Search for anyone else by name."),
    )


@signed_in(*STAFF_ROLES)
@require_GET
def search_handover(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """The supporters the typed name finds, to take over one of this supporter's matches."""
    supporter = get_supporter_for(request.user, supporter_id, write=True)
    return answer_search(request, handover_source(supporter))


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
    form = OffboardForm(request.POST or None, supporter=supporter, open_matches=open_matches)
    form.find_supporters(
        handover_source(supporter),
        search_url=reverse("matches:search_handover", args=[supporter.pk]),
        searched=request.GET,
    )
    if request.method == "POST" and form.is_valid():
        try:
            offboard_supporter(
                supporter=supporter,
                by=request.user,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                away_until=form.cleaned_data["away_until"],
                withdrawal_reason=form.cleaned_data["withdrawal_reason"],
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
