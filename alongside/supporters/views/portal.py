"""What a supporter sends from their own page (alongside.home shows the page)."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.supporters.forms.wellbeing import DebriefForm, WellbeingForm
from alongside.supporters.models import Supporter
from alongside.supporters.services import wellbeing


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
    return redirect("my_page")


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
    return redirect("my_page")
