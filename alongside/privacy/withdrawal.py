"""What withdrawing a consent stops, in the words the confirmation page says it."""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.core.consent import Purpose
from alongside.privacy.models import Consent

STOPS = {
    Purpose.SURVEYS: [
        _("No more questionnaires are sent to them, from now on."),
        _("A questionnaire already sent can no longer be answered."),
    ],
    Purpose.REFERRER: [
        _(
            "Their referrer is no longer told anything about their peer support: not when it "
            "is matched or ends, not who supports them, and no closing summary."
        ),
        _("Their referrer's page for them says only that they withdrew this consent."),
    ],
    Purpose.RESEARCH: [_("Nothing more of theirs is used for research, from now on.")],
}
ALWAYS = [
    _(
        "The withdrawal is kept with the consent: when, who recorded it, and how they asked. "
        "It cannot be undone."
    ),
    _("Nobody is sent a message: tell the person yourself that it is done."),
]


def what_stops(consent: Consent) -> list[Promise]:
    """What stops when this consent is withdrawn, then what is kept and who hears of it."""
    return [*STOPS.get(Purpose(consent.purpose), []), *ALWAYS]
