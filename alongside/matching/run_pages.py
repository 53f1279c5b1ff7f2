"""The pages of "match everyone waiting": start a run, follow its progress, review its drafts a
page at a time, change one, and send them all."""

import uuid

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.matches.forms import StartMatchForm
from alongside.matching import queries, runs, services
from alongside.matching.models import ACTIVE_RUN_STATUSES, MatchingRun, ProposalStatus, RunStatus
from alongside.matching.permissions import get_proposal_for, get_run_for
from alongside.matching.queries import alternatives, settings_for
from alongside.matching.snapshot import waiting_requests
from alongside.programs.models import Program
from alongside.programs.queries import programs_staffed_by

DRAFTS_PER_PAGE = 25
POLL_SECONDS = 2


def _chosen_program(request: AuthenticatedRequest, programs: list[Program]) -> Program | None:
    wanted = request.POST.get("program") or request.GET.get("program", "")
    if len(programs) == 1 and not wanted:
        return programs[0]
    return next((program for program in programs if str(program.pk) == wanted), None)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def match_everyone(request: AuthenticatedRequest) -> HttpResponse:
    programs = list(programs_staffed_by(request.user))
    program = _chosen_program(request, programs)
    if request.method == "POST":
        if program is None:
            messages.error(request, _("Please choose a program."))
            return redirect("matching:everyone")
        started, new = runs.start_run(program=program, started_by=request.user)
        if not new:
            messages.info(request, _("A run for this program is already under way: here it is."))
        return redirect("matching:run_progress", batch=started.batch)
    under_way = (
        MatchingRun.objects.filter(program=program, status__in=ACTIVE_RUN_STATUSES).first()
        if program
        else None
    )
    return render(
        request,
        "matching/everyone.html",
        {
            "programs": programs,
            "program": program,
            "waiting": waiting_requests(program).count() if program else 0,
            "under_way": under_way if under_way and not runs.is_stalled(under_way) else None,
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def run_progress(request: AuthenticatedRequest, batch: uuid.UUID) -> HttpResponse:
    """Where a run stands; polled in place, it takes the coordinator on once the run ends."""
    run = get_run_for(request.user, batch)
    stalled = runs.is_stalled(run)
    if request.htmx:
        response = HttpResponse()
        if run.status == RunStatus.FINISHED:
            response["HX-Redirect"] = reverse("matching:run", args=[batch])
            return response
        if run.status == RunStatus.FAILED or stalled:
            response["HX-Refresh"] = "true"
            return response
        return render(request, "matching/run_progress.html#progress", {"run": run})
    if run.status == RunStatus.FINISHED:
        return redirect("matching:run", batch=batch)
    return render(
        request,
        "matching/run_progress.html",
        {
            "run": run,
            "failed": stalled or run.status == RunStatus.FAILED,
            "stalled": stalled,
            "poll_seconds": POLL_SECONDS,
        },
    )


@signed_in(*STAFF_ROLES)
@require_GET
def run(request: AuthenticatedRequest, batch: uuid.UUID) -> HttpResponse:
    """A finished run's drafts, a page at a time, with others who could take each instead."""
    found = get_run_for(request.user, batch)
    if found.status != RunStatus.FINISHED:
        return redirect("matching:run_progress", batch=batch)
    drafts = queries.proposals_of_run(request.user, batch).filter(status=ProposalStatus.DRAFT)
    page = Paginator(drafts, DRAFTS_PER_PAGE).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    instead = alternatives(shown)
    for draft in shown:
        draft.alternatives = instead[draft.pk]  # type: ignore[attr-defined]
    return render(
        request,
        "matching/run.html",
        {
            "batch": batch,
            "run": found,
            "program": found.program,
            "page": page,
            "drafts": shown,
            "still_waiting": waiting_requests(found.program).count(),
        },
    )


@signed_in(*STAFF_ROLES)
@require_POST
def replace_draft(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, proposal_id, staff=True)
    supporter = StartMatchForm(request.POST).chosen_in(proposal.program_id)
    if supporter is None:
        messages.error(request, _("Please choose a supporter from the list."))
    else:
        try:
            services.replace_draft(proposal=proposal, supporter=supporter, by=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("%(peer)s will now be proposed to %(name)s.")
                % {"peer": proposal.request.peer.first_name, "name": supporter.display_name},
            )
    if proposal.batch is None:
        return redirect("matching:proposal", proposal_id=proposal.pk)
    return redirect("matching:run", batch=proposal.batch)


@signed_in(*STAFF_ROLES)
@require_POST
def send_run(request: AuthenticatedRequest, batch: uuid.UUID) -> HttpResponse:
    program = get_run_for(request.user, batch).program
    count = runs.start_sending(program=program, batch=batch, sent_by=request.user)
    messages.success(
        request,
        _(
            "%(count)d proposals are on their way. Supporters are asked to answer within "
            "%(hours)d hours."
        )
        % {"count": count, "hours": settings_for(program).proposal_response_hours},
    )
    return redirect("matching:proposals")
