"""Withdrawing a consent on the person's request, from their request's or match's page."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import STAFF_ROLES
from alongside.core.errors import DomainError
from alongside.matches.models import Match
from alongside.privacy import services
from alongside.privacy.forms import WithdrawalForm
from alongside.privacy.models import Consent
from alongside.privacy.permissions import get_consent_for
from alongside.privacy.withdrawal import what_stops


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, consent_id: int) -> HttpResponse:
    """The page that says what stops, with how the person asked; withdraws on POST."""
    consent = get_consent_for(request.user, consent_id)
    back_match = _match_on_the_way_back(
        consent, request.POST.get("match") or request.GET.get("match")
    )
    back_url = _way_back(consent, back_match)
    if not consent.may_be_withdrawn:
        messages.info(request, _why_it_stays(consent))
        return redirect(back_url)
    form = WithdrawalForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.withdraw_consent(
                consent=consent, by=request.user, how=form.cleaned_data["how"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Consent withdrawn: %(purpose)s.") % {"purpose": consent.get_purpose_display()},
            )
            return redirect(back_url)
    return render(
        request,
        "privacy/withdraw.html",
        {
            "consent": consent,
            "form": form,
            "happens": what_stops(consent),
            "back_url": back_url,
            "back_match": back_match,
        },
    )


def _why_it_stays(consent: Consent) -> str:
    if consent.is_withdrawn:
        return _("This consent was already withdrawn.")
    return _("This consent cannot be withdrawn here: the support or the application rests on it.")


def _match_on_the_way_back(consent: Consent, match_id: str | None) -> int | None:
    """The match page the coordinator came from, when it is this person's request's match."""
    if not match_id or not match_id.isdigit() or consent.support_request_id is None:
        return None
    found = Match.objects.filter(pk=int(match_id), request_id=consent.support_request_id)
    return int(match_id) if found.exists() else None


def _way_back(consent: Consent, match_id: int | None) -> str:
    if match_id is not None:
        return reverse("matches:detail", args=[match_id])
    if consent.support_request_id is not None:
        return reverse("intake:request_detail", args=[consent.support_request_id])
    return reverse("supporters:application", args=[consent.application_id])
