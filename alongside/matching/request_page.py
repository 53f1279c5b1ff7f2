"""Matching's part of a request's page: the open proposal, the shortlist, "why not this person?"
and the conflict form. Registered with intake (below matching) in MatchingConfig.ready; see
alongside/intake/hooks.py.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django_htmx.http import HttpResponseClientRefresh

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.pickers import Source, answer_search, set_picker
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.matching.forms import ConflictForm, WhyNotForm
from alongside.matching.models import HOLDING_STATUSES, Proposal
from alongside.matching.queries import shortlist
from alongside.matching.snapshot import GONE, stored_snapshot
from alongside.programs.queries import holds_role_in
from alongside.supporters.models import Supporter
from alongside.supporters.pickers import supporter_source

# Sent by every "why not?" question, asked in place or not (the form's search box).
_WHY_NOT_SEARCH = "supporter-search"


def _can_match(request: HttpRequest, support_request: SupportRequest) -> bool:
    return support_request.status == RequestStatus.NEW and holds_role_in(
        request.user,  # type: ignore[arg-type]
        STAFF_ROLES,
        support_request.program_id,
    )


def _open_proposal(support_request: SupportRequest) -> Proposal | None:
    return (
        support_request.proposals.filter(status__in=HOLDING_STATUSES)
        .select_related("supporter__user")
        .first()
    )


def supporters_to_ask_about(program_id: int) -> Source[Supporter]:
    """The program's supporters who are not gone, searched by name: whom the request page asks
    "why not?" about, and records a conflict with."""
    return supporter_source(
        Supporter.objects.filter(program_id=program_id).exclude(status__in=GONE)
    )


def _search_url(support_request: SupportRequest) -> str:
    return reverse("matching:search_supporters", args=[support_request.pk])


def conflict_form(
    request: HttpRequest, support_request: SupportRequest, data: Any = None
) -> ConflictForm:
    """The conflict form; its search box belongs to the page's GET form "conflict-search"."""
    form = ConflictForm(data, prefix="conflict")
    set_picker(
        form,
        "supporter",
        source=supporters_to_ask_about(support_request.program_id),
        search_url=_search_url(support_request),
        searched=request.GET,
        search_form="conflict-search",
    )
    return form


@signed_in(*STAFF_ROLES)
@require_GET
def search_supporters(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    """The request page's pickers asking, as the coordinator types, whom the name finds."""
    support_request = get_request_for(request.user, request_id, write=True)
    return answer_search(request, supporters_to_ask_about(support_request.program_id))


def request_page_panel(request: HttpRequest, support_request: SupportRequest) -> dict[str, Any]:
    """Whether the viewer may match, the open proposal, and (when matching) the pickers."""
    can_match = _can_match(request, support_request)
    open_proposal = _open_proposal(support_request)
    context: dict[str, Any] = {"can_match": can_match, "open_proposal": open_proposal}
    if can_match:
        context["conflict_form"] = conflict_form(request, support_request)
        # A search sent without JavaScript comes back with the conflict form open.
        context["conflict_searched"] = "conflict-supporter-search" in request.GET
        if open_proposal is None:
            context.update(_matching_context(request, support_request))
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
    asked = "supporter" in request.GET or _WHY_NOT_SEARCH in request.GET
    if not (getattr(request, "htmx", False) and asked):
        return None
    if not _can_match(request, support_request) or _open_proposal(support_request):
        # Matched or proposed since the page loaded: the whole page has changed.
        return HttpResponseClientRefresh()
    context = _matching_context(request, support_request, in_place=True)
    context["support_request"] = support_request
    return render(request, "matching/_shortlist.html#why-not", context)


def _matching_context(
    request: HttpRequest, support_request: SupportRequest, *, in_place: bool = False
) -> dict[str, Any]:
    """The shortlist, and the answer to "why not this person?" when one was asked (a search
    sent without JavaScript only shows its results; asked in place, an empty choice is an
    error)."""
    asked = "supporter" in request.GET or in_place
    form = WhyNotForm(request.GET if asked else None)
    set_picker(
        form,
        "supporter",
        source=supporters_to_ask_about(support_request.program_id),
        search_url=_search_url(support_request),
        searched=request.GET,
    )
    chosen = form.cleaned_data["supporter"] if form.is_bound and form.is_valid() else None
    found = shortlist(support_request, explain=chosen)
    return {
        "shortlist": found,
        "candidates": found.candidates,
        "why_not_form": form,
        "answer": found.answer,
    }
