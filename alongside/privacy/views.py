"""Withdrawing a consent on the person's request, and recording one they give later, from their
request's or match's page; the audit log of the programs a privacy lead answers for."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alongside.accounts.access import AuthenticatedRequest, signed_in
from alongside.accounts.models import AUDIT_ROLES, STAFF_ROLES
from alongside.core.consent import Purpose
from alongside.core.errors import DomainError
from alongside.core.lists import list_page, list_response
from alongside.intake.models import SupportRequest
from alongside.intake.permissions import get_request_for
from alongside.matches.models import Match
from alongside.privacy import services
from alongside.privacy.audit_log import AUDIT_LOG
from alongside.privacy.forms import RecordConsentForm, WithdrawalForm
from alongside.privacy.models import Consent
from alongside.privacy.permissions import get_consent_for
from alongside.privacy.recording import fingerprint, may_be_given, what_starts
from alongside.privacy.withdrawal import what_stops


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, consent_id: int) -> HttpResponse:
    """The page that says what stops, with how the person asked; withdraws on POST."""
    consent = get_consent_for(request.user, consent_id)
    back_match = _match_on_the_way_back(consent.support_request_id, _match_asked(request))
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


@signed_in(*STAFF_ROLES)
@require_http_methods(["GET", "POST"])
def record(request: AuthenticatedRequest, request_id: int, purpose: str) -> HttpResponse:
    """The words of a consent the person gives later, read to them, with how they gave it;
    records it on POST. Pressed twice, the second finds it recorded."""
    support_request = get_request_for(request.user, request_id, write=True)
    if purpose not in Purpose.values:
        raise Http404
    back_match = _match_on_the_way_back(support_request.pk, _match_asked(request))
    back_url = _back_to_request(support_request.pk, back_match)
    agreement = may_be_given(support_request).get(Purpose(purpose))
    if agreement is None:
        messages.info(request, _why_not_now(support_request, purpose))
        return redirect(back_url)
    form = RecordConsentForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            services.record_consent_given_later(
                support_request=support_request,
                purpose=purpose,
                how=form.cleaned_data["how"],
                by=request.user,
                words_shown=form.cleaned_data["words"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Consent recorded: %(purpose)s.") % {"purpose": Purpose(purpose).label}
            )
            return redirect(back_url)
    return render(
        request,
        "privacy/record.html",
        {
            "support_request": support_request,
            "purpose": Purpose(purpose),
            "agreement": agreement,
            # The words shown now, even after words changed under a first press.
            "words": fingerprint(agreement),
            "form": form,
            "happens": what_starts(Purpose(purpose)),
            "back_url": back_url,
            "back_match": back_match,
        },
    )


def _why_not_now(support_request: SupportRequest, purpose: str) -> str:
    if Consent.objects.filter(support_request=support_request, purpose=purpose).standing().exists():
        return _("This consent is already recorded.")
    return _("The program does not ask for this consent.")


def _match_asked(request: AuthenticatedRequest) -> str | None:
    return request.POST.get("match") or request.GET.get("match")


def _match_on_the_way_back(request_id: int | None, match_id: str | None) -> int | None:
    """The match page the coordinator came from, when it is this person's request's match."""
    if not match_id or not match_id.isdigit() or request_id is None:
        return None
    found = Match.objects.filter(pk=int(match_id), request_id=request_id)
    return int(match_id) if found.exists() else None


def _back_to_request(request_id: int, match_id: int | None) -> str:
    if match_id is not None:
        return reverse("matches:detail", args=[match_id])
    return reverse("intake:request_detail", args=[request_id])


def _way_back(consent: Consent, match_id: int | None) -> str:
    if consent.support_request_id is not None:
        return _back_to_request(consent.support_request_id, match_id)
    return reverse("supporters:application", args=[consent.application_id])


@signed_in(*AUDIT_ROLES)
@require_GET
def audit_log(request: AuthenticatedRequest) -> HttpResponse:
    """The audit log of the viewer's programs (every program's, for a superuser): who did or
    saw what, searched by person, staff member, action and period, and exported."""
    events = list_page(AUDIT_LOG, request)
    return list_response(
        request,
        "privacy/audit_log.html",
        {"list": events, "page": events.page, "can_export": True},
    )
