"""Supervision: a supervisor's supervisees, and the sessions with one of them."""

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.supporters import queries
from alongside.supporters.forms.supervision import SupervisionForm
from alongside.supporters.models import Supporter
from alongside.supporters.permissions import get_supervisee_for
from alongside.supporters.services import supervision


@signed_in(Role.SUPERVISOR, Role.COORDINATOR)
@require_GET
def supervisees(request: AuthenticatedRequest) -> HttpResponse:
    """A supervisor's supporters: last session, signs of strain, debriefs waiting."""
    people = list(queries.supervisees(request.user))
    signals = queries.burnout_signals_of(people, timezone.localdate())
    return render(
        request,
        "supporters/supervisees.html",
        {"rows": [{"supporter": person, "signals": signals[person.pk]} for person in people]},
    )


def sessions_with_notes(
    request: AuthenticatedRequest, supporter: Supporter
) -> list[dict[str, Any]]:
    """The supporter's sessions, each with its notes only for those who may read them (audited)."""
    sessions = list(supporter.supervision_sessions.select_related("supervisor"))
    readable = supervision.readable_notes(request.user, supporter, sessions)
    supervision.record_notes_read(
        supporter=supporter,
        viewer=request.user,
        sessions=[session.pk for session in sessions if session.pk in readable and session.notes],
    )
    return [{"session": session, "show_notes": session.pk in readable} for session in sessions]


@signed_in(Role.SUPERVISOR, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def supervision_sessions(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """Record a supervision session with one supporter, and see the ones before."""
    supporter = get_supervisee_for(request.user, supporter_id)
    open_debriefs = list(supporter.debrief_requests.filter(answered_at__isnull=True))
    form = SupervisionForm(request.POST or None, has_open_debriefs=bool(open_debriefs))
    if request.method == "POST" and form.is_valid():
        try:
            supervision.record_supervision(
                supporter=supporter, supervisor=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Supervision session recorded."))
            return redirect("supporters:supervision", supporter_id=supporter.pk)
    return render(
        request,
        "supporters/supervision.html",
        {
            "supporter": supporter,
            "form": form,
            "open_debriefs": open_debriefs,
            "sessions": sessions_with_notes(request, supporter),
            "burnout_signals": queries.burnout_signals(supporter, timezone.localdate()),
        },
    )
