"""Consent to the program's questionnaires: asked on the request forms when the program sends
any, kept by privacy with the request, and read before a questionnaire goes out (ADR 0008)."""

from django.utils.translation import gettext_lazy as _

from alongside.core.consent import GivenHow, Purpose, Wording
from alongside.outcomes.models import ProgramInstrument
from alongside.programs.models import Program

SURVEYS_HELP = _(
    "At the start, during and at the end of the peer support, by e-mail or text message. "
    "The answers help the program know what helps. It is optional, and can be stopped at any "
    "time by asking a coordinator."
)
# What a coordinator asks, on the phone intake or later, however the person answers them.
ASKED_BY_A_COORDINATOR = Wording(
    key="outcomes.surveys.phone",
    purpose=Purpose.SURVEYS,
    label=_(
        "I asked them, and they agree to receive short questionnaires about how they are "
        "doing (optional)"
    ),
    help_text=SURVEYS_HELP,
)
SURVEYS_CONSENT = {
    GivenHow.ONLINE_FORM: Wording(
        key="outcomes.surveys.online",
        purpose=Purpose.SURVEYS,
        label=_("I agree to receive short questionnaires about how I am doing (optional)"),
        help_text=SURVEYS_HELP,
    ),
    GivenHow.PHONE: ASKED_BY_A_COORDINATOR,
    GivenHow.IN_PERSON: ASKED_BY_A_COORDINATOR,
    GivenHow.WRITING: ASKED_BY_A_COORDINATOR,
    GivenHow.REFERRER: Wording(
        key="outcomes.surveys.referral",
        purpose=Purpose.SURVEYS,
        label=_(
            "The client agrees to receive short questionnaires about how they are doing (optional)"
        ),
        help_text=SURVEYS_HELP,
    ),
}


def surveys_consent_asked(program: Program, how: GivenHow) -> list[Wording]:
    """Consent to questionnaires is asked only where the program sends some."""
    if not ProgramInstrument.objects.filter(program=program).exists():
        return []
    return [SURVEYS_CONSENT[how]]
