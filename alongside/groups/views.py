from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES, Role
from alongside.core.errors import DomainError
from alongside.core.lists import list_page, list_response
from alongside.core.many_pickers import answer_many_search, search_again
from alongside.core.pickers import set_picker
from alongside.groups import queries, services
from alongside.groups.forms import AnswerForm, AttendanceForm, CancelForm, InviteForm, SessionForm
from alongside.groups.ics import session_calendar_file
from alongside.groups.lists import PAST_SESSIONS, TABS, UPCOMING_SESSIONS
from alongside.groups.models import Attendance
from alongside.groups.permissions import get_invitation_for, get_session_for
from alongside.groups.pickers import invitee_source
from alongside.programs.lists import counted_tabs, program_chosen_on
from alongside.programs.queries import programs_staffed_by
from alongside.supporters.models import Supporter


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    """The form data of a POST, even an empty one (so that it is checked and explained)."""
    return request.POST if request.method == "POST" else None


@signed_in(*STAFF_ROLES)
@require_GET
def session_list(request: AuthenticatedRequest, shown: str) -> HttpResponse:
    """The sessions coming up, or those gone by: each a list behind its tab."""
    definition = UPCOMING_SESSIONS if shown == "upcoming" else PAST_SESSIONS
    sessions = list_page(definition, request)
    return list_response(
        request,
        "groups/session_list.html",
        {
            "list": sessions,
            "page": sessions.page,
            "upcoming": definition is UPCOMING_SESSIONS,
            "tabs": counted_tabs(
                TABS, request.user, program=program_chosen_on(sessions), current=definition
            ),
            "can_export": True,  # its viewers are all staff (reports.export_views)
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def schedule(request: AuthenticatedRequest) -> HttpResponse:
    form = SessionForm(_posted(request), programs=programs_staffed_by(request.user))
    if form.is_valid():
        try:
            session = services.schedule_session(
                program=form.cleaned_data["program"], by=request.user, **form.session_fields()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Scheduled. Now invite the people who should come."))
            return redirect("groups:detail", session_id=session.pk)
    return render(request, "groups/session_form.html", {"form": form, "session": None})


@signed_in(*STAFF_ROLES)
@require_GET
def session_detail(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id, manage=True)
    now = timezone.now()
    return render(
        request,
        "groups/session_detail.html",
        {
            "session": session,
            "attendances": queries.attendances_of(session),
            "is_upcoming": session.starts_at > now and not session.is_cancelled,
            "has_started": session.starts_at <= now and not session.is_cancelled,
        },
    )


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def edit_session(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id, manage=True)
    form = (
        SessionForm(request.POST, program=session.program)
        if request.method == "POST"
        else SessionForm.for_session(session)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.change_session(session=session, by=request.user, **form.session_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("groups:detail", session_id=session.pk)
    return render(request, "groups/session_form.html", {"form": form, "session": session})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def cancel_session(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id, manage=True)
    form = CancelForm(_posted(request))
    if form.is_valid():
        try:
            services.cancel_session(
                session=session, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Cancelled. Everyone invited has been told."))
            return redirect("groups:detail", session_id=session.pk)
    return render(request, "groups/cancel.html", {"form": form, "session": session})


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """Invite every active supporter, or those chosen by searching their names (a picker for
    several: without JavaScript its Search and Remove buttons come back here as a GET)."""
    session = get_session_for(request.user, session_id, manage=True)
    again = search_again(request, InviteForm.FIELD)
    if again is not None:
        return again
    form = InviteForm(
        _posted(request),
        invitable=queries.invitable_supporters(session.program),
        initial=InviteForm.initial_from(request.GET),
    )
    set_picker(
        form,
        InviteForm.FIELD,
        source=invitee_source(session),
        search_url=reverse("groups:search_invitees", args=[session.pk]),
        searched=request.GET if request.method == "GET" else None,
    )
    if form.is_valid():
        try:
            invited = services.invite_supporters(
                session=session, by=request.user, supporters=form.chosen()
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            _say_who_was_invited(request, invited, form.chosen())
            return redirect("groups:detail", session_id=session.pk)
    return render(
        request,
        "groups/invite.html",
        {"form": form, "session": session, "attendances": queries.attendances_of(session)},
    )


def _say_who_was_invited(
    request: AuthenticatedRequest, invited: list[Attendance], chosen: list[Supporter] | None
) -> None:
    if invited:
        messages.success(
            request, _("Invited %(count)d. Each gets an e-mail.") % {"count": len(invited)}
        )
    else:
        messages.info(request, _("They were all invited already."))
    new = {attendance.supporter_id for attendance in invited}
    already = [supporter for supporter in chosen or [] if supporter.pk not in new]
    if invited and already:
        messages.info(
            request,
            _("Already invited, so not asked again: %(names)s.")
            % {"names": ", ".join(supporter.display_name for supporter in already)},
        )


@signed_in(*STAFF_ROLES)
@require_GET
def search_invitees(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """The invite page's picker asking, as the coordinator types, whom the name finds."""
    session = get_session_for(request.user, session_id, manage=True)
    return answer_many_search(request, invitee_source(session))


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def take_attendance(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    session = get_session_for(request.user, session_id, manage=True)
    attendances = list(queries.attendances_of(session))
    form = AttendanceForm(_posted(request), attendances=attendances)
    if form.is_valid():
        try:
            services.record_attendance(session=session, by=request.user, attended=form.attended())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("groups:detail", session_id=session.pk)
    return render(
        request,
        "groups/attendance.html",
        {"form": form, "session": session, "attendances": attendances},
    )


@signed_in(*STAFF_ROLES, Role.SUPPORTER)
@require_GET
def session_calendar(request: AuthenticatedRequest, session_id: int) -> HttpResponse:
    """The session as a calendar file, for whoever may see it."""
    session = get_session_for(request.user, session_id)
    response = HttpResponse(session_calendar_file(session), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="session-{session.pk}.ics"'
    return response


@signed_in(Role.SUPPORTER)
@require_POST
def answer(request: AuthenticatedRequest, attendance_id: int) -> HttpResponse:
    """A supporter's own answer to an invitation, from their page."""
    attendance = get_invitation_for(request.user, attendance_id)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose whether you will come."))
        return redirect("my_page")
    coming = form.cleaned_data["answer"] == "coming"
    try:
        services.answer_invitation(attendance=attendance, by=request.user, coming=coming)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Thank you. We have noted that you will come.")
            if coming
            else _("Thank you. We have noted that you can't come."),
        )
    return redirect("my_page")
