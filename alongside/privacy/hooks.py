"""What privacy adds to the domains below it, registered in PrivacyConfig.ready (ADR 0003):
it keeps what a person agreed to when intake takes a request or supporters an application, in
their transaction; answers where a request's consent to a purpose stands (outcomes reads it
before sending a questionnaire, matches before telling a referrer); and shows a person's
consents on their request's, match's and application's pages, where staff withdraw them and
record one the person gives later."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from alongside.accounts.models import STAFF_ROLES, User
from alongside.core.consent import Agreement, GivenHow, Purpose
from alongside.intake import hooks as intake
from alongside.intake.models import SupportRequest
from alongside.matches import hooks as matches
from alongside.matches.models import Match
from alongside.privacy import break_glass, queries, services
from alongside.privacy.models import Consent
from alongside.privacy.recording import may_be_given
from alongside.programs.queries import holds_role_in
from alongside.supporters import hooks as supporters
from alongside.supporters.models import Application


def keep_request_consents(
    support_request: SupportRequest,
    agreements: Sequence[Agreement],
    how: GivenHow,
    recorded_by: User | None,
) -> None:
    services.record_request_consents(
        support_request=support_request, agreements=agreements, how=how, recorded_by=recorded_by
    )


def keep_application_consents(
    application: Application, agreements: Sequence[Agreement], how: GivenHow
) -> None:
    services.record_application_consents(application=application, agreements=agreements, how=how)


def request_page_panel(request: HttpRequest, support_request: SupportRequest) -> dict[str, Any]:
    """The person's consents; the request page is for its program's staff, who withdraw them
    and record the ones the person gives later."""
    consents = queries.consents_of_request(support_request.pk)
    holds = _holds(
        support_request.peer_id, reverse("privacy:hold_person", args=[support_request.pk])
    )
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not holds_role_in(
        user, STAFF_ROLES, support_request.program_id
    ):
        # A coordinator tied to the person's site reads their consents and holds; withdrawing,
        # recording, holds, the person's copy and erasure stay with the central team.
        return {"privacy_consents": consents, **holds, "privacy_place_hold_url": None}
    return {
        "privacy_consents": consents,
        "privacy_may_withdraw": True,
        **_may_be_recorded(support_request, consents),
        **holds,
        "privacy_person_copy_url": reverse("privacy:person_copy", args=[support_request.pk]),
        "privacy_erase_url": reverse("privacy:erase_person", args=[support_request.pk]),
    }


def match_page_panel(match: Match, is_staff: bool) -> dict[str, Any]:
    """The person's consents, and the ones they may give later, for the program's staff only."""
    if not is_staff:
        return {}
    support_request = match.request
    support_request.program = match.program  # the same program, already read with the match
    consents = queries.consents_of_request(match.request_id)
    return {
        "privacy_consents": consents,
        "privacy_may_withdraw": True,
        "privacy_back_match": match.pk,
        **_may_be_recorded(support_request, consents),
        **_holds(
            support_request.peer_id, reverse("privacy:hold_match", args=[match.pk]), match=match
        ),
    }


def _holds(peer_id: int, place_url: str, *, match: Match | None = None) -> dict[str, Any]:
    """The legal hold in force on the person (and on the match, on a match's page), in one
    query; the link to place one where none holds this page's records."""
    holds = queries.holds_in_force(peer_id=peer_id, match_id=match.pk if match else None)
    held = holds[0] if holds else None
    return {"privacy_holds": holds, "privacy_place_hold_url": None if held else place_url}


def _may_be_recorded(support_request: SupportRequest, consents: list[Consent]) -> dict[str, Any]:
    """What the person may agree to now (one query: does the program send questionnaires; one
    more for a referral); and whether questionnaires stop for want of their consent while the
    program sends them, which the page says plainly."""
    may_be = may_be_given(support_request, consents=consents)
    return {
        "privacy_request_id": support_request.pk,
        "privacy_may_record": [purpose for purpose in Purpose if purpose in may_be],
        "privacy_no_surveys": Purpose.SURVEYS in may_be,
    }


def application_page_panel(request: HttpRequest, application: Application) -> dict[str, Any]:
    return {
        "privacy_consents": queries.consents_of_application(application.pk),
        "privacy_may_withdraw": True,
    }


def offer_break_glass(request: HttpRequest, request_id: int) -> HttpResponse | None:
    """A request hidden from a member of its program by their scope: the break-glass page."""
    user = request.user
    if not user.is_authenticated:
        return None
    if break_glass.request_outside_scope(user, request_id) is None:
        return None
    return redirect("privacy:break_glass", request_id=request_id)


def register() -> None:
    intake.on_request_outside_scope(offer_break_glass)
    intake.on_consent_given(keep_request_consents)
    intake.on_consent_check(queries.standings)
    intake.on_request_page(request_page_panel)
    matches.on_match_page(match_page_panel)
    supporters.on_application_consent(keep_application_consents)
    supporters.on_application_page(application_page_panel)
