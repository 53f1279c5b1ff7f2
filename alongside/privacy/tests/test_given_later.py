"""A coordinator records a consent the person gives later, by phone, in person or in writing: in
the words the forms record, in the person's language; a consent given again after a withdrawal
is a new record; what depended on it starts again from the next thing due."""

import pytest
from django.utils import translation

from alongside.core.consent import GivenHow, Purpose, Standing, Wording
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.hooks import consent_standing
from alongside.matches.services.lifecycle import start_match
from alongside.matches.services.referrals import summary_consented_at_referral
from alongside.outcomes import consent as outcomes_consent
from alongside.outcomes.models import Occasion, Survey
from alongside.privacy.models import Consent, ConsentText, WithdrawnHow
from alongside.privacy.recording import fingerprint, may_be_given
from alongside.privacy.services import record_consent_given_later, withdraw_consent
from alongside.privacy.tests.conftest import ask
from alongside.privacy.tests.test_what_stops import milestone, survey_links
from alongside.referrals.tests.conftest import refer

PHONE_WORDS = (
    "I asked them, and they agree to receive short questionnaires about how they are doing "
    "(optional)"
)


def give_later(support_request, purpose=Purpose.SURVEYS, *, by, how=GivenHow.PHONE, words=None):
    """Records the consent as the coordinator's page does: in the words it shows now."""
    if words is None:
        words = fingerprint(may_be_given(support_request)[purpose])
    return record_consent_given_later(
        support_request=support_request, purpose=purpose, how=how, by=by, words_shown=words
    )


def withdraw(consent, by):
    return withdraw_consent(consent=consent, by=by, how=WithdrawnHow.PHONE)


# ---- what may be given -------------------------------------------------------------------------


def test_a_person_never_asked_may_give_consent_to_the_programs_questionnaires(
    surveying_program,
):
    support_request = ask(surveying_program, surveys=False)

    offered = may_be_given(support_request)

    assert list(offered) == [Purpose.SURVEYS]
    assert offered[Purpose.SURVEYS].text.startswith(PHONE_WORDS)
    assert offered[Purpose.SURVEYS].wording == "outcomes.surveys.phone"


def test_nothing_is_offered_where_the_program_sends_no_questionnaires(program_a, coordinator_a):
    support_request = ask(program_a)

    assert may_be_given(support_request) == {}
    with pytest.raises(DomainError, match="The program does not ask for this consent"):
        record_consent_given_later(
            support_request=support_request,
            purpose=Purpose.SURVEYS,
            how=GivenHow.PHONE,
            by=coordinator_a,
            words_shown="",
        )
    assert not Consent.objects.filter(purpose=Purpose.SURVEYS).exists()


def test_consent_to_support_and_to_research_are_never_offered(surveying_program, coordinator_a):
    # No program asks for research today; support rests on the request itself.
    support_request = ask(surveying_program)

    for purpose in (Purpose.SUPPORT, Purpose.RESEARCH, "anything"):
        with pytest.raises(DomainError):
            record_consent_given_later(
                support_request=support_request,
                purpose=purpose,
                how=GivenHow.PHONE,
                by=coordinator_a,
                words_shown="",
            )
    assert Consent.objects.filter(support_request=support_request).count() == 1


def test_a_consent_that_stands_is_not_offered_again(surveying_program):
    support_request = ask(surveying_program, surveys=True)

    assert may_be_given(support_request) == {}


# ---- recording ---------------------------------------------------------------------------------


def test_recording_keeps_the_words_when_how_and_the_coordinator_and_audits_it(
    surveying_program, coordinator_a
):
    support_request = ask(surveying_program)

    consent = give_later(support_request, by=coordinator_a, how=GivenHow.IN_PERSON)

    assert (consent.purpose, consent.given_how, consent.recorded_by) == (
        Purpose.SURVEYS,
        GivenHow.IN_PERSON,
        coordinator_a,
    )
    assert consent.support_request == support_request
    assert consent.peer_id == support_request.peer_id
    assert consent.given_at > support_request.consent_given_at
    assert consent.text.text.startswith(PHONE_WORDS)
    assert (consent.text.wording, consent.text.language, consent.text.version) == (
        "outcomes.surveys.phone",
        "en",
        1,
    )
    event = AuditEvent.objects.get(action="privacy.consent.given", actor=coordinator_a)
    assert event.data["how"] == "in_person"
    assert event.data["purpose"] == "surveys"
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.GIVEN


def test_the_words_are_in_the_persons_language(surveying_program, coordinator_a):
    with translation.override("en"):
        support_request = ask(surveying_program, language="fr")

    consent = give_later(support_request, by=coordinator_a, how=GivenHow.WRITING)

    with translation.override("fr-ca"):
        french = outcomes_consent.ASKED_BY_A_COORDINATOR.text()
    assert french != outcomes_consent.ASKED_BY_A_COORDINATOR.text()
    assert (consent.text.language, consent.text.text) == ("fr-ca", french)


def test_a_language_without_our_words_is_shown_and_kept_in_english(
    surveying_program, coordinator_a
):
    support_request = ask(surveying_program, language="es")

    consent = give_later(support_request, by=coordinator_a)

    assert consent.text.language == "en"
    assert consent.text.text.startswith(PHONE_WORDS)


@pytest.mark.parametrize("how", [GivenHow.ONLINE_FORM, GivenHow.REFERRER, "", "carrier pigeon"])
def test_only_the_ways_a_coordinator_hears_a_consent_are_taken(
    surveying_program, coordinator_a, how
):
    support_request = ask(surveying_program)

    with pytest.raises(DomainError, match="Choose how the person gave their consent"):
        give_later(support_request, by=coordinator_a, how=how)
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.NOT_GIVEN


def test_recording_twice_finds_it_already_recorded(surveying_program, coordinator_a):
    support_request = ask(surveying_program)
    words = fingerprint(may_be_given(support_request)[Purpose.SURVEYS])
    give_later(support_request, by=coordinator_a, words=words)

    with pytest.raises(DomainError, match="This consent is already recorded"):
        give_later(support_request, by=coordinator_a, words=words)
    assert Consent.objects.filter(purpose=Purpose.SURVEYS).count() == 1
    assert (
        AuditEvent.objects.filter(action="privacy.consent.given", actor=coordinator_a).count() == 1
    )


def test_words_changed_since_the_page_was_shown_are_not_recorded(
    surveying_program, coordinator_a, monkeypatch
):
    support_request = ask(surveying_program)
    shown = fingerprint(may_be_given(support_request)[Purpose.SURVEYS])
    monkeypatch.setitem(
        outcomes_consent.SURVEYS_CONSENT,
        GivenHow.PHONE,
        Wording(key="outcomes.surveys.phone", purpose=Purpose.SURVEYS, label="New words."),
    )

    with pytest.raises(DomainError, match="The words changed since the page was opened"):
        give_later(support_request, by=coordinator_a, words=shown)
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.NOT_GIVEN


def test_new_words_make_a_new_version_of_the_text(surveying_program, coordinator_a, monkeypatch):
    first = give_later(ask(surveying_program), by=coordinator_a)
    monkeypatch.setitem(
        outcomes_consent.SURVEYS_CONSENT,
        GivenHow.PHONE,
        Wording(
            key="outcomes.surveys.phone",
            purpose=Purpose.SURVEYS,
            label="I asked them, and they agree to questionnaires now and then.",
        ),
    )

    second = give_later(ask(surveying_program), by=coordinator_a)

    assert (first.text.version, second.text.version) == (1, 2)
    assert second.text.text == "I asked them, and they agree to questionnaires now and then."
    first.refresh_from_db()
    assert first.text.text.startswith(PHONE_WORDS)  # what the first person agreed to stays
    assert ConsentText.objects.filter(wording="outcomes.surveys.phone").count() == 2


def test_the_same_words_as_the_phone_intake_share_its_version(surveying_program, coordinator_a):
    taken_by_phone = ask(
        surveying_program,
        also_agreed=[outcomes_consent.SURVEYS_CONSENT[GivenHow.PHONE].agreed()],
    )
    given_later = give_later(ask(surveying_program), by=coordinator_a)

    kept = Consent.objects.get(support_request=taken_by_phone, purpose=Purpose.SURVEYS)
    assert given_later.text == kept.text


# ---- again after a withdrawal ------------------------------------------------------------------


def test_a_consent_given_again_after_its_withdrawal_is_a_new_record(
    surveying_program, coordinator_a
):
    support_request = ask(surveying_program, surveys=True)
    first = Consent.objects.get(support_request=support_request, purpose=Purpose.SURVEYS)
    withdraw(first, coordinator_a)
    assert list(may_be_given(support_request)) == [Purpose.SURVEYS]

    again = give_later(support_request, by=coordinator_a)

    assert again.pk != first.pk
    first.refresh_from_db()
    assert first.is_withdrawn  # the history is kept
    assert first.given_how == GivenHow.ONLINE_FORM
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.GIVEN
    # Withdrawn again, it is the new record that ends.
    withdraw(again, coordinator_a)
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.WITHDRAWN


def test_sharing_with_the_referrer_is_given_again_in_the_words_agreed_at_the_referral(
    referring_program, referrer_a, supporter_a, coordinator_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)
    sharing = Consent.objects.get(support_request=support_request, purpose=Purpose.REFERRER)
    withdraw(sharing, coordinator_a)

    again = give_later(support_request, Purpose.REFERRER, by=coordinator_a)

    # The same words, so the same version, as the client agreed to with their referrer.
    assert again.text == sharing.text
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    assert summary_consented_at_referral(match) is True


def test_a_referral_whose_client_agreed_to_nothing_for_the_referrer_offers_no_sharing(
    referring_program, referrer_a
):
    support_request = refer(referring_program, referrer_a, who=False, summary=False)

    assert Purpose.REFERRER not in may_be_given(support_request)


def test_a_request_that_did_not_come_by_referral_offers_no_sharing(surveying_program):
    assert Purpose.REFERRER not in may_be_given(ask(surveying_program))


# ---- questionnaires resume ---------------------------------------------------------------------


def test_questionnaires_resume_from_the_next_one_due_and_none_missed_is_sent(
    surveying_program, supporter_a, coordinator_a
):
    support_request = ask(surveying_program, surveys=False)
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    milestone(match, coordinator_a, month=3)
    assert not Survey.objects.exists()

    give_later(support_request, by=coordinator_a)
    milestone(match, coordinator_a, month=6)

    sent = list(Survey.objects.values_list("occasion", "month"))
    assert sent == [(Occasion.MILESTONE, 6)]
    assert survey_links() == 1


def test_questionnaires_resume_after_a_withdrawal_once_given_again(
    surveying_program, supporter_a, coordinator_a
):
    support_request = ask(surveying_program, surveys=True)
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    withdraw(Consent.objects.get(support_request=support_request, purpose="surveys"), coordinator_a)
    milestone(match, coordinator_a, month=3)

    give_later(support_request, by=coordinator_a, how=GivenHow.PHONE)
    milestone(match, coordinator_a, month=6)

    sent = list(Survey.objects.order_by("pk").values_list("occasion", "month"))
    assert sent == [(Occasion.START, 0), (Occasion.MILESTONE, 6)]
