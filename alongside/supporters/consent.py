"""What a person applying to be a supporter agrees to, in the words of the application form.

The application's service records it through `hooks.application_consent_given` (privacy keeps
it, ADR 0008). Change the words here and the next applicant gets a new version of the text.
"""

from django.utils.translation import gettext_lazy as _

from alongside.core.consent import Purpose, Wording

APPLICATION_CONSENT = Wording(
    key="supporters.application",
    purpose=Purpose.APPLICATION,
    label=_(
        "I agree that the program may keep what I wrote here to consider my application. "
        "Only its coordinators will see it."
    ),
)
