"""Consents for tests and journeys: given as a person would give them, through the service."""

from alongside.core.consent import GivenHow, Purpose, Wording
from alongside.intake.models import SupportRequest
from alongside.privacy.models import Consent
from alongside.privacy.services import record_request_consents


def give_consent(
    support_request: SupportRequest,
    purpose: Purpose = Purpose.SURVEYS,
    *,
    words: str = "I agree to receive short questionnaires about how I am doing.",
) -> Consent:
    """The person behind `support_request` agrees to `purpose` on the online form, in `words`."""
    wording = Wording(key=f"tests.{purpose}", purpose=purpose, label=words)
    (consent,) = record_request_consents(
        support_request=support_request,
        agreements=[wording.agreed()],
        how=GivenHow.ONLINE_FORM,
        recorded_by=None,
    )
    return consent
