"""A consent the person gives a coordinator after their request was taken: which ones they may
give (what their program asks and they have not got standing), in which words (the ones the
forms record, in the person's language), and what giving it starts again."""

import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.core.consent import Agreement, GivenHow, Purpose
from alongside.intake.consent import referrer_sharing
from alongside.intake.hooks import consent_questions
from alongside.intake.models import Source, SupportRequest
from alongside.intake.referrals import consent_of
from alongside.privacy.models import WITHDRAWABLE, Consent

STARTS = {
    Purpose.SURVEYS: [
        _(
            "Questionnaires are sent to them again from the next one due: at the start of their "
            "match, at a check-in, or when it ends. None that was missed is sent."
        ),
    ],
    Purpose.REFERRER: [
        _(
            "Their referrer is told again about their peer support, from now on, as these "
            "words say."
        ),
    ],
}
ALWAYS = [
    _(
        "The consent is kept with these words, when, how they gave it and who recorded it. "
        "An earlier withdrawal stays in their history."
    ),
    _("Nobody is sent a message: tell the person yourself that it is done."),
]


def words_language(support_request: SupportRequest) -> str:
    """The language to show the words in: the person's, when the words exist in it, else the
    installation's (a coordinator translates as they read them out)."""
    try:
        return translation.get_supported_language_variant(support_request.language)
    except LookupError:
        return settings.LANGUAGE_CODE


def may_be_given(
    support_request: SupportRequest, *, consents: Iterable[Consent] | None = None
) -> dict[Purpose, Agreement]:
    """What the person may agree to now, each in the exact words they would agree to, in their
    language: the questions the program asks beside consent to support (questionnaires, where
    it sends some), and, for a referral, sharing with the referrer as the client agreed at the
    referral; none that stands already (among `consents`, the request's, when already read)."""
    with translation.override(words_language(support_request)):
        agreements = [
            wording.agreed()
            for wording in consent_questions(support_request.program, GivenHow.PHONE)
            if wording.purpose in WITHDRAWABLE
        ]
        sharing = _referrer_sharing(support_request)
    if sharing is not None:
        agreements.append(sharing)
    if consents is None:
        consents = Consent.objects.filter(support_request_id=support_request.pk)
    standing = {consent.purpose for consent in consents if not consent.is_withdrawn}
    return {
        agreement.purpose: agreement
        for agreement in agreements
        if agreement.purpose not in standing
    }


def _referrer_sharing(support_request: SupportRequest) -> Agreement | None:
    """What the client agreed at the referral that their referrer may hear, in its words; what
    the referrer is then told follows those same boxes."""
    if support_request.source != Source.REFERRAL:
        return None
    consent = consent_of(support_request)
    if consent is None:
        return None
    return referrer_sharing(
        may_know_who=consent.referrer_may_know_who, summary=consent.summary_to_referrer
    )


def fingerprint(agreement: Agreement) -> str:
    """A short mark of the exact words shown, so words that change before the coordinator
    records the consent are never recorded as the ones the person heard."""
    text = f"{agreement.wording}\n{agreement.language}\n{agreement.text}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def what_starts(purpose: Purpose) -> list[Promise]:
    """What giving this consent starts again, then what is kept and who hears of it."""
    return [*STARTS.get(purpose, []), *ALWAYS]
