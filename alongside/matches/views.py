from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.accounts.queries import roles_of
from alongside.core.audit import record_event
from alongside.core.errors import DomainError
from alongside.core.forms import first_error
from alongside.core.htmx import render_in_place
from alongside.core.lists import list_page, list_response
from alongside.core.paging import page_of
from alongside.intake.models import Source
from alongside.intake.permissions import can_see_contact_details
from alongside.matches import hours, queries
from alongside.matches.forms import (
    CheckInForm,
    CloseMatchForm,
    CommentForm,
    ContactLogForm,
    ExtendForm,
    GoalForm,
    GoalProgressForm,
    HoursReportForm,
    PauseForm,
)
from alongside.matches.hooks import match_page_context
from alongside.matches.lists import MATCH_LIST
from alongside.matches.models import CheckInKind, Match, MatchStatus
from alongside.matches.permissions import (
    get_checkin_for,
    get_contact_for_comment,
    get_goal_for,
    get_hours_report_for,
    get_match_for,
    match_access_for,
    may_comment_on,
    readable_private_notes,
)
from alongside.matches.services import checkins, closure, goals, lifecycle, referrals
from alongside.matches.services import contacts as contact_services
from alongside.programs.models import ContactMethod

EVERY_MATCH_ROLE = (*STAFF_ROLES, Role.SUPERVISOR, Role.SUPPORTER)
WRITERS = (*STAFF_ROLES, Role.SUPPORTER)
CONTACTS_PER_PAGE = 20


@signed_in(*EVERY_MATCH_ROLE)
@require_GET
def match_list(request: AuthenticatedRequest) -> HttpResponse:
    matches = list_page(MATCH_LIST, request)
    return list_response(
        request,
        "matches/match_list.html",
        {
            "list": matches,
            "page": matches.page,
            "matches": matches.page.object_list,
            # Staff export the list (reports.export_views); supporters and supervisors do not.
            "can_export": bool(roles_of(request.user) & STAFF_ROLES),
        },
    )


@signed_in(*EVERY_MATCH_ROLE)
@require_GET
def match_detail(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    """The match, its plan and history, and its contacts a page at a time, newest first."""
    access = match_access_for(request.user, match_id, with_hours=True)
    match, is_staff = access.match, access.is_staff
    hours_so_far = queries.hours_of(match)
    page = page_of(
        queries.contacts_with_details(match),
        request,
        per_page=CONTACTS_PER_PAGE,
        count=hours_so_far.contacts_made + hours_so_far.attempts,
    )
    contacts = list(page.object_list)
    readable_notes = readable_private_notes(request.user, match, contacts, is_staff=is_staff)
    can_see_contact = is_staff or can_see_contact_details(request.user, match.request)
    lifecycle.record_match_viewed(
        match=match,
        viewer=request.user,
        contact_details=can_see_contact,
        private_notes=sum(
            1 for contact in contacts if contact.note and contact.pk in readable_notes
        ),
    )
    return render(
        request,
        "matches/match_detail.html",
        {
            "match": match,
            "peer": match.request.peer,
            "hours": hours_so_far,
            "contacts": contacts,
            "contacts_page": page,
            "readable_notes": readable_notes,
            "can_see_contact_details": can_see_contact,
            "checkins": queries.checkins_for(match),
            "goals": queries.goals_for(match) if match.program.is_goal_based else None,
            "history": queries.history_for(match),
            **match_page_context(match, is_staff=is_staff),
            "is_supporter": match.supporter.user_id == request.user.pk,
            # The goals' pages are for the people who work the match: a supervisor reads them.
            "can_work_on_goals": is_staff or match.supporter.user_id == request.user.pk,
            "can_comment": access.supervises,
            **_plan_flags(match, is_staff=is_staff),
        },
    )


def _plan_flags(match: Match, *, is_staff: bool) -> dict[str, bool]:
    """What the viewer may do with the match's plan: for its page and its in-place part."""
    return {
        "is_staff": is_staff,
        "is_open": match.status != MatchStatus.CLOSED,
        "can_pause": is_staff and match.status == MatchStatus.ACTIVE,
        "can_resume": is_staff and match.status == MatchStatus.PAUSED,
    }


@signed_in(*WRITERS)
@require_http_methods(["GET", "POST"])
def log_contact(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, write=True)
    form = ContactLogForm(request.POST or None, match=match)
    if form.is_valid():
        try:
            contact_services.log_contact(match=match, logged_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Contact saved."))
            return redirect("matches:detail", match_id=match.pk)
    return render(request, "matches/contact_form.html", {"match": match, "form": form})


@signed_in(Role.SUPERVISOR)
@require_POST
def comment_on_contact(request: AuthenticatedRequest, contact_id: int) -> HttpResponse:
    """In place, the contact's comments come back with the new one, or with why it was not."""
    contact = get_contact_for_comment(request.user, contact_id)
    form = CommentForm(request.POST)
    errors: list[str] = []
    if form.is_valid():
        try:
            contact_services.comment_on_contact(
                contact=contact, author=request.user, body=form.cleaned_data["body"]
            )
        except DomainError as error:
            errors.append(error.message)
        else:
            messages.success(request, _("Comment added."))
    else:
        errors.append(first_error(form))
    if request.htmx:
        context = {
            "contact": queries.with_comments(contact),
            "can_comment": may_comment_on(request.user, contact.match),
            "comment_errors": errors,
            "comment_body": request.POST.get("body", "") if errors else "",
        }
        return render_in_place(request, "matches/match_detail.html#comments", context)
    for problem in errors:
        messages.error(request, problem)
    return redirect("matches:detail", match_id=contact.match_id)


@signed_in(*STAFF_ROLES)
@require_POST
def pause_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, manage=True)
    form = PauseForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        lifecycle.pause_match(match=match, by=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The match is paused."))
    return _plan_changed(request, match)


@signed_in(*STAFF_ROLES)
@require_POST
def resume_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, manage=True)
    try:
        lifecycle.resume_match(match=match, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The match is active again."))
    return _plan_changed(request, match)


def _plan_changed(request: AuthenticatedRequest, match: Match) -> HttpResponse:
    """In place, the match's state and actions as they are now; otherwise back to its page."""
    if not request.htmx:
        return redirect("matches:detail", match_id=match.pk)
    match.refresh_from_db(fields=["status", "paused_at"])
    context = {"match": match, **_plan_flags(match, is_staff=True)}
    return render_in_place(request, "matches/match_detail.html#plan", context)


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def extend_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, manage=True)
    form = ExtendForm(request.POST or None)
    if form.is_valid():
        try:
            lifecycle.extend_match(match=match, by=request.user, until=form.cleaned_data["until"])
        except DomainError as error:
            form.add_error("until", error.message)
        else:
            messages.success(request, _("The planned end is moved."))
            return redirect("matches:detail", match_id=match.pk)
    return render(request, "matches/extend_form.html", {"match": match, "form": form})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def close_match(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, manage=True)
    form = CloseMatchForm(request.POST or None)
    if form.is_valid():
        try:
            closure.close_match(match=match, closed_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The match is closed. Thank you."))
            return redirect("matches:detail", match_id=match.pk)
    return render(
        request,
        "matches/close_form.html",
        {
            "match": match,
            "form": form,
            "is_referral": match.request.source == Source.REFERRAL,
            "summary_at_referral": referrals.summary_consented_at_referral(match),
            "hours": queries.hours_for(match),
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def log_checkin(request: AuthenticatedRequest, checkin_id: int) -> HttpResponse:
    checkin = get_checkin_for(request.user, checkin_id)
    match = get_match_for(request.user, checkin.match_id, manage=True)
    if checkin.kind == CheckInKind.CLOSURE or checkin.is_done:
        return redirect("matches:detail", match_id=match.pk)
    form = CheckInForm(request.POST or None)
    if form.is_valid():
        try:
            checkins.log_checkin(checkin=checkin, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Check-in recorded."))
            return redirect("matches:detail", match_id=match.pk)
    return render(
        request, "matches/checkin_form.html", {"match": match, "checkin": checkin, "form": form}
    )


@signed_in(*WRITERS)
@require_http_methods(["GET", "POST"])
def add_goal(request: AuthenticatedRequest, match_id: int) -> HttpResponse:
    match = get_match_for(request.user, match_id, write=True)
    form = GoalForm(request.POST or None)
    if form.is_valid():
        try:
            goals.add_goal(match=match, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Goal added."))
            return redirect("matches:detail", match_id=match.pk)
    return render(request, "matches/goal_form.html", {"match": match, "form": form})


@signed_in(*WRITERS)
@require_http_methods(["GET", "POST"])
def update_goal(request: AuthenticatedRequest, goal_id: int) -> HttpResponse:
    goal = get_goal_for(request.user, goal_id, write=True)
    if request.method == "GET":
        record_event(
            actor=request.user,
            action="matches.goal.viewed",
            target=goal,
            program_id=goal.match.program_id,
        )
    form = GoalProgressForm(
        request.POST or None, initial={"status": goal.status, "review_on": goal.review_on}
    )
    if form.is_valid():
        try:
            goals.update_goal(goal=goal, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Progress saved."))
            return redirect("matches:detail", match_id=goal.match_id)
    return render(
        request,
        "matches/goal_progress_form.html",
        {"match": goal.match, "goal": goal, "form": form},
    )


@signed_in(*EVERY_MATCH_ROLE)
@require_GET
def hours_reports(request: AuthenticatedRequest) -> HttpResponse:
    reports = [
        (report, queries.band_for(report)) for report in queries.hours_reports_for(request.user)
    ]
    return render(request, "matches/hours_reports.html", {"reports": reports})


@signed_in(*EVERY_MATCH_ROLE)
@require_http_methods(["GET", "POST"])
def hours_report(request: AuthenticatedRequest, report_id: int) -> HttpResponse:
    report = get_hours_report_for(request.user, report_id)
    is_own = report.supporter.user_id == request.user.pk
    if request.method == "POST" and not is_own:
        report = get_hours_report_for(request.user, report_id, write=True)
    if not is_own:
        record_event(actor=request.user, action="matches.hours_report.viewed", target=report)
    prefill = hours.prefill_for(report.supporter, report.month)
    form = None
    if is_own and not report.is_confirmed:
        form = HoursReportForm(
            request.POST or None,
            initial={
                "hours": queries.hours_from_minutes(prefill.minutes),
                "contacts": prefill.contacts,
            },
        )
        if form.is_valid():
            try:
                hours.confirm_hours_report(report=report, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Thank you. Your hours are confirmed."))
                return redirect("matches:hours_reports")
    return render(
        request,
        "matches/hours_report.html",
        {
            "report": report,
            "prefill": prefill,
            "methods": _method_labels(prefill.methods),
            "band": queries.band_for(report),
            "form": form,
        },
    )


def _method_labels(methods: dict[str, int]) -> list[tuple[str, int]]:
    """Counts by method, in the order the program's methods are listed everywhere."""
    return [
        (str(ContactMethod(method).label), methods[method])
        for method in ContactMethod.values
        if method in methods
    ]
