"""What a person asking for support agrees to, in the words each way of asking uses.

The public form, the phone call and the referral each ask for consent to support in their own
words; a referral also asks what the referrer may hear back. The request's service records what
was agreed to, in these words, through `hooks.consent_given` (privacy keeps them, ADR 0008).
Change the words here and the next person who agrees to them gets a new version of the text.
"""

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.core.consent import Agreement, GivenHow, Purpose, Wording
from alongside.intake.models import ReferralAudience, ReferralShare, Source

ONLINE_SUPPORT = Wording(
    key="intake.online.support",
    purpose=Purpose.SUPPORT,
    label=_(
        "I agree that the program may keep what I wrote here and use it to find me a peer "
        "supporter. Only the program's coordinators and my supporter will see it."
    ),
)
PHONE_SUPPORT = Wording(
    key="intake.phone.support",
    purpose=Purpose.SUPPORT,
    label=_(
        "I read them the consent and they agreed: the program may keep what they told me "
        "and use it to find them a peer supporter. Only the program's coordinators and "
        "their supporter will see it."
    ),
)


@dataclass(frozen=True)
class ConsentText:
    """One version of what a referrer reads to the client before referring them."""

    version: str
    purpose: Promise
    shared: tuple[ReferralShare, ...]
    shared_with: tuple[ReferralAudience, ...]

    def read_out(self) -> str:
        """The words the referral page shows, in the language active now."""
        shared = "; ".join(str(item.label) for item in self.shared)
        shared_with = "; ".join(str(audience.label) for audience in self.shared_with)
        return "\n".join(
            (
                " ".join((gettext("Purpose:"), str(self.purpose))),
                " ".join((gettext("What is shared:"), shared)),
                " ".join((gettext("With whom:"), shared_with)),
            )
        )


REFERRAL_CONSENT = ConsentText(
    version="referral-consent-2026-12",
    purpose=_(
        "To match the client with a peer support worker, who helps them work toward the goals "
        "they chose."
    ),
    shared=(
        ReferralShare.NAME_AND_LANGUAGE,
        ReferralShare.CONTACT_DETAILS,
        ReferralShare.GOALS,
        ReferralShare.SITE,
    ),
    shared_with=(ReferralAudience.PROGRAM_TEAM, ReferralAudience.PEER_SUPPORT_WORKER),
)
REFERRAL_SUPPORT = Wording(
    key="intake.referral.support",
    purpose=Purpose.SUPPORT,
    label=_("The client agrees to share this, as read above, for this purpose"),
    read_first=lazy(REFERRAL_CONSENT.read_out, str)(),
)
REFERRER_MAY_KNOW_WHO = Wording(
    key="intake.referral.referrer_may_know_who",
    purpose=Purpose.REFERRER,
    label=_("The client agrees that you are told who their peer support worker is"),
)
SUMMARY_TO_REFERRER = Wording(
    key="intake.referral.summary_to_referrer",
    purpose=Purpose.REFERRER,
    label=_(
        "The client agrees that you receive a short summary when the peer support ends: "
        "how long it lasted, how many goals were met, and why it ended"
    ),
)

SUPPORT_WORDING = {
    Source.PUBLIC_FORM: ONLINE_SUPPORT,
    Source.PHONE: PHONE_SUPPORT,
    Source.REFERRAL: REFERRAL_SUPPORT,
}
GIVEN_HOW = {
    Source.PUBLIC_FORM: GivenHow.ONLINE_FORM,
    Source.PHONE: GivenHow.PHONE,
    Source.REFERRAL: GivenHow.REFERRER,
}


def referrer_sharing(*, may_know_who: bool, summary: bool) -> Agreement | None:
    """What a referred client agreed their referrer may hear back, as one consent to sharing
    with the referrer in the words of the boxes ticked; None when they agreed to neither."""
    ticked = [
        wording
        for wording, agreed in (
            (REFERRER_MAY_KNOW_WHO, may_know_who),
            (SUMMARY_TO_REFERRER, summary),
        )
        if agreed
    ]
    if not ticked:
        return None
    return Wording(
        key="+".join(wording.key for wording in ticked),
        purpose=Purpose.REFERRER,
        label=lazy(lambda: "\n".join(str(wording.label) for wording in ticked), str)(),
    ).agreed()
