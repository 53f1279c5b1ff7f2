from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.confirm import Confirmation, confirmation_page
from alongside.core.errors import DomainError
from alongside.core.lists import list_page, list_response
from alongside.intake.permissions import get_request_for
from alongside.matches.forms import StartMatchForm
from alongside.matching import queries, services
from alongside.matching.forms import AnswerForm, MatchingSettingsForm
from alongside.matching.lists import PROPOSAL_LIST
from alongside.matching.models import HOLDING_STATUSES, Proposal, ProposalStatus
from alongside.matching.permissions import get_program_for_matching, get_proposal_for
from alongside.matching.queries import settings_for
from alongside.matching.request_page import conflict_form
from alongside.programs.queries import program_ids_for


@signed_in(*STAFF_ROLES)
@require_POST
def propose(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_request_for(request.user, request_id, write=True)
    supporter = StartMatchForm(request.POST).chosen_in(support_request.program_id)
    if supporter is None:
        messages.error(request, _("Please choose a supporter from the list."))
        return redirect("intake:request_detail", request_id=support_request.pk)
    try:
        proposal = services.propose(
            support_request=support_request, supporter=supporter, proposed_by=request.user
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("intake:request_detail", request_id=support_request.pk)
    messages.success(
        request,
        _("%(name)s has been asked. You will see their answer here.")
        % {"name": supporter.display_name},
    )
    return redirect("matching:proposal", proposal_id=proposal.pk)


@signed_in(*STAFF_ROLES)
@require_POST
def record_conflict(request: AuthenticatedRequest, request_id: int) -> HttpResponse:
    support_request = get_request_for(request.user, request_id, write=True)
    form = conflict_form(request, support_request, request.POST)
    if not form.is_valid():
        refused = form.has_error("supporter", "invalid")
        messages.error(
            request,
            str(form.errors["supporter"][0])
            if refused
            else _("Please choose a supporter and say why."),
        )
        return redirect("intake:request_detail", request_id=support_request.pk)
    supporter = form.cleaned_data["supporter"]
    try:
        services.record_conflict(
            support_request=support_request,
            supporter=supporter,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Recorded: %(name)s will never be proposed to this person.")
            % {"name": supporter.display_name},
        )
    return redirect("intake:request_detail", request_id=support_request.pk)


@signed_in(*STAFF_ROLES)
@require_GET
def proposals(request: AuthenticatedRequest) -> HttpResponse:
    """The proposals: by default those still holding a request, the accepted ones first."""
    proposals = list_page(PROPOSAL_LIST, request)
    return list_response(
        request,
        "matching/proposals.html",
        {
            "list": proposals,
            "page": proposals.page,
            "can_export": True,  # the list's viewers are all staff (reports.export_views)
        },
    )


@signed_in(*STAFF_ROLES, Role.SUPPORTER)
@require_GET
def proposal_detail(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, proposal_id)
    is_staff = proposal.program_id in set(program_ids_for(request.user, STAFF_ROLES))
    is_asked = proposal.supporter.user_id == request.user.pk
    return render(
        request,
        "matching/proposal.html",
        {
            "proposal": proposal,
            "is_staff": is_staff,
            "may_answer": is_asked and proposal.status == ProposalStatus.PROPOSED,
            "form": AnswerForm(),
        },
    )


@signed_in(Role.SUPPORTER)
@require_POST
def answer(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, proposal_id)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.respond(
                proposal=proposal,
                supporter_user=request.user,
                accept=form.cleaned_data["answer"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you. The coordinator will confirm the match and introduce you.")
                if form.cleaned_data["answer"]
                else _("Thank you for letting us know. We will find someone else."),
            )
            return redirect("matching:proposal", proposal_id=proposal.pk)
    return render(
        request,
        "matching/proposal.html",
        {"proposal": proposal, "is_staff": False, "may_answer": True, "form": form},
    )


@signed_in(*STAFF_ROLES)
@require_POST
def confirm(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    proposal = get_proposal_for(request.user, proposal_id, staff=True)
    try:
        match = services.confirm(proposal=proposal, confirmed_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:proposal", proposal_id=proposal.pk)
    messages.success(
        request,
        _("The match has started. Introductions are on their way to %(name)s and %(peer)s.")
        % {"name": proposal.supporter.display_name, "peer": proposal.request.peer.first_name},
    )
    return redirect("matches:detail", match_id=match.pk)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, proposal_id: int) -> HttpResponse:
    """GET: what withdrawing tells whom, and the button. POST: withdraw (a run's drafts post
    straight away: nobody has heard of them)."""
    proposal = get_proposal_for(request.user, proposal_id, staff=True)
    if request.method == "GET":
        if proposal.status not in HOLDING_STATUSES:
            messages.info(request, _("This proposal is already closed."))
            return redirect("matching:proposal", proposal_id=proposal.pk)
        return confirmation_page(request, _withdraw_confirmation(proposal))
    from_run = proposal.batch if proposal.status == ProposalStatus.DRAFT else None
    try:
        services.withdraw(proposal=proposal, withdrawn_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("matching:proposal", proposal_id=proposal.pk)
    messages.success(
        request,
        _("Proposal withdrawn: %(peer)s is waiting again.")
        % {"peer": proposal.request.peer.first_name},
    )
    if from_run and queries.run_has_drafts(from_run):
        return redirect("matching:run", batch=from_run)
    return redirect("intake:request_detail", request_id=proposal.request_id)


def _withdraw_confirmation(proposal: Proposal) -> Confirmation:
    names = {"peer": proposal.request.peer.first_name, "name": proposal.supporter.display_name}
    happens = [_("%(peer)s's request waits again, to be matched with someone else.") % names]
    if proposal.status == ProposalStatus.DRAFT:
        happens.append(_("%(name)s was never asked: nobody is sent a message.") % names)
    else:
        if proposal.status == ProposalStatus.ACCEPTED:
            happens.append(_("%(name)s said yes; the match will not start.") % names)
        happens.append(
            _("%(name)s gets a message, by e-mail and in their inbox, that it is taken back.")
            % names
        )
    happens.append(_("It cannot be undone: to ask %(name)s again, propose again.") % names)
    return Confirmation(
        title=_("Withdraw the proposal of %(name)s for %(peer)s?") % names,
        happens=happens,
        button=_("Withdraw the proposal"),
        back_url=reverse("matching:proposal", args=[proposal.pk]),
        danger=True,
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def matching_settings(request: AuthenticatedRequest, program_id: int) -> HttpResponse:
    program = get_program_for_matching(request.user, program_id)
    current = settings_for(program)
    form = MatchingSettingsForm(request.POST or None, settings=current)
    if form.is_valid():
        services.update_settings(
            program=program,
            by=request.user,
            weights=form.weights(),
            exclude_same_site=form.cleaned_data["exclude_same_site"],
            proposal_response_hours=form.cleaned_data["proposal_response_hours"],
        )
        messages.success(request, _("Matching settings saved."))
        return redirect("matching:settings", program_id=program.pk)
    return render(request, "matching/settings.html", {"program": program, "form": form})
