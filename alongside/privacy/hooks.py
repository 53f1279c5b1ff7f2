"""What privacy adds to the domains below it, registered in PrivacyConfig.ready (ADR 0003):
it keeps what a person agreed to when intake takes a request or supporters an application, in
their transaction; answers where a request's consent to a purpose stands (outcomes reads it
before sending a questionnaire, matches before telling a referrer); and shows a person's
consents on their request's, match's and application's pages, where staff withdraw them."""

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest

from alongside.accounts.models import User
from alongside.core.consent import Agreement, GivenHow
from alongside.intake import hooks as intake
from alongside.intake.models import SupportRequest
from alongside.matches import hooks as matches
from alongside.matches.models import Match
from alongside.privacy import queries, services
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
    """The person's consents; the request page is for its program's staff, who withdraw them."""
    return {"privacy_consents": queries.consents_of_request(support_request.pk)}


def match_page_panel(match: Match, is_staff: bool) -> dict[str, Any]:
    """The person's consents, for the program's staff only (one query)."""
    if not is_staff:
        return {}
    return {
        "privacy_consents": queries.consents_of_request(match.request_id),
        "privacy_back_match": match.pk,
    }


def application_page_panel(request: HttpRequest, application: Application) -> dict[str, Any]:
    return {"privacy_consents": queries.consents_of_application(application.pk)}


def register() -> None:
    intake.on_consent_given(keep_request_consents)
    intake.on_consent_check(queries.standings)
    intake.on_request_page(request_page_panel)
    matches.on_match_page(match_page_panel)
    supporters.on_application_consent(keep_application_consents)
    supporters.on_application_page(application_page_panel)
