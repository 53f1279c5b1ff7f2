"""Matching's part of a request's page: the open proposal, the shortlist, "why not this person?"
and the conflict form. Registered with intake (below matching) in MatchingConfig.ready; see
alongside/intake/hooks.py.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRefresh

from alongside.accounts.models import STAFF_ROLES
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matching.forms import ConflictForm, WhyNotForm
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.matching.queries import shortlist
from alongside.matching.snapshot import GONE, stored_snapshot
from alongside.programs.queries import program_ids_for
from alongside.supporters.models import Supporter


def _can_match(request: HttpRequest, support_request: SupportRequest) -> bool:
    return support_request.status == RequestStatus.NEW and support_request.program_id in set(
        program_ids_for(request.user, STAFF_ROLES)  # type: ignore[arg-type]
    )


def _open_proposal(support_request: SupportRequest) -> Proposal | None:
    return (
        support_request.proposals.filter(status__in=HOLDING_STATUSES)
        .select_related("supporter__user")
        .first()
    )


def _supporters_to_match(support_request: SupportRequest) -> list[Supporter]:
    """Everyone in the program who is not gone, by name: the pickers of the request page."""
    supporters = list(
        Supporter.objects.filter(program_id=support_request.program_id)
        .exclude(status__in=GONE)
        .select_related("user")
    )
    supporters.sort(key=lambda supporter: supporter.display_name.casefold())
    return supporters


def request_page_panel(request: HttpRequest, support_request: SupportRequest) -> dict[str, Any]:
    """Whether the viewer may match, the open proposal, and (when matching) the pickers."""
    can_match = _can_match(request, support_request)
    open_proposal = _open_proposal(support_request)
    context: dict[str, Any] = {"can_match": can_match, "open_proposal": open_proposal}
    if can_match:
        supporters = _supporters_to_match(support_request)
        context["conflict_form"] = ConflictForm(supporters=supporters, prefix="conflict")
        if open_proposal is None:
            context.update(_matching_context(request, support_request, supporters))
    return context


def in_place(request: HttpRequest, support_request: SupportRequest) -> HttpResponse | None:
    """Matching's parts of the request page answered in place: whether the suggestions are
    ready, and "why not this person?"."""
    return suggestions_ready(request, support_request) or why_not_in_place(request, support_request)


def suggestions_ready(request: HttpRequest, support_request: SupportRequest) -> HttpResponse | None:
    """The note "suggestions are being prepared" asks here: the page reloads once they are
    (nothing changes until then). Never builds them, and records no viewing."""
    if not (getattr(request, "htmx", False) and "suggestions" in request.GET):
        return None
    if not _can_match(request, support_request):
        return HttpResponseClientRefresh()
    if stored_snapshot(support_request.program) is None:
        return HttpResponse(status=204)
    return HttpResponseClientRefresh()


def why_not_in_place(request: HttpRequest, support_request: SupportRequest) -> HttpResponse | None:
    """The answer to "why not this person?" alone, under its form. It shows no detail of the
    peer, so the page's viewing (audited when it loaded) is not recorded again."""
    if not (getattr(request, "htmx", False) and "supporter" in request.GET):
        return None
    if not _can_match(request, support_request) or _open_proposal(support_request):
        # Matched or proposed since the page loaded: the whole page has changed.
        return HttpResponseClientRefresh()
    context = _matching_context(request, support_request, _supporters_to_match(support_request))
    context["support_request"] = support_request
    return render(request, "matching/_shortlist.html#why-not", context)


def _matching_context(
    request: HttpRequest, support_request: SupportRequest, supporters: list[Supporter]
) -> dict[str, Any]:
    """The shortlist, and the answer to "why not this person?" when one was asked."""
    form = WhyNotForm(request.GET if "supporter" in request.GET else None, supporters=supporters)
    asked = (
        next(one for one in supporters if one.pk == form.cleaned_data["supporter"])
        if form.is_bound and form.is_valid()
        else None
    )
    found = shortlist(support_request, explain=asked)
    # The question is about those not on the list; the list already says why they are.
    shown = {candidate.supporter.pk for candidate in found.candidates}
    form.only_about([supporter for supporter in supporters if supporter.pk not in shown])
    return {
        "shortlist": found,
        "candidates": found.candidates,
        "why_not_form": form,
        "answer": found.answer,
    }
