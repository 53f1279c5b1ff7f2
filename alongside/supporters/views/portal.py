"""A supporter's own page, and what they send from it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from alongside.accounts.models import Role
from alongside.core.access import AuthenticatedRequest, signed_in
from alongside.core.errors import DomainError
from alongside.groups.queries import upcoming_for_supporter
from alongside.matches.models import Match
from alongside.supporters import queries
from alongside.supporters.forms.wellbeing import DebriefForm, WellbeingForm
from alongside.supporters.models import Supporter
from alongside.supporters.services import wellbeing


@signed_in(Role.SUPPORTER)
@require_GET
def portal(request: AuthenticatedRequest) -> HttpResponse:
    """A supporter's own page: status, what is missing, trainings, matches, hours."""
    profiles = list(
        Supporter.objects.filter(user=request.user, program__is_active=True).select_related(
            "program"
        )
    )
    today = timezone.localdate()
    states = queries.readiness_of(profiles, today)
    return render(
        request,
        "supporters/portal.html",
        {
            "today": today,
            "profiles": [
                {
                    "supporter": own,
                    "readiness": states[own.pk],
                    "hours": queries.peer_support_hours(own),
                    "wellbeing_form": WellbeingForm(prefix=f"wellbeing-{own.pk}"),
                    "debrief_form": DebriefForm(prefix=f"debrief-{own.pk}"),
                    "matches": Match.objects.filter(supporter=own).select_related("request__peer"),
                    "invitations": upcoming_for_supporter(own, timezone.now()),
                    "supervision": queries.supervision_dates(own, today),
                }
                for own in profiles
            ],
        },
    )


@signed_in(Role.SUPPORTER)
@require_POST
def record_wellbeing(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter's own self-care check-in, from their page."""
    supporter = get_object_or_404(Supporter, pk=supporter_id, user=request.user)
    form = WellbeingForm(request.POST, prefix=f"wellbeing-{supporter.pk}")
    if form.is_valid():
        try:
            wellbeing.record_wellbeing(
                supporter=supporter,
                score=form.cleaned_data["score"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you for telling us how you are."))
    else:
        messages.error(request, _("Please choose how you are doing, from 1 to 5."))
    return redirect("supporters:portal")


@signed_in(Role.SUPPORTER)
@require_POST
def request_debrief(request: AuthenticatedRequest, supporter_id: int) -> HttpResponse:
    """A supporter asks to talk a hard contact through; it reaches their supervisors."""
    supporter = get_object_or_404(Supporter, pk=supporter_id, user=request.user)
    form = DebriefForm(request.POST, prefix=f"debrief-{supporter.pk}")
    if form.is_valid():
        wellbeing.request_debrief(
            supporter=supporter, note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, _("We have let your supervisor know. They will be in touch."))
    else:
        messages.error(request, _("Please keep the note shorter."))
    return redirect("supporters:portal")
