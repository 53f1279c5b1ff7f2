"""Consent as records: kept with what it covers, in the words and language shown, versioned
when the words change, and withdrawn on the person's request."""

import datetime as dt
import uuid

import pytest
from django.utils import timezone, translation

from alongside.core.consent import Agreement, GivenHow, Purpose, Standing
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake import hooks as intake_hooks
from alongside.intake import services as intake
from alongside.intake.consent import (
    ONLINE_SUPPORT,
    PHONE_SUPPORT,
    REFERRER_MAY_KNOW_WHO,
    SUMMARY_TO_REFERRER,
)
from alongside.intake.models import SupportRequest
from alongside.outcomes.factories import ProgramInstrumentFactory
from alongside.privacy import queries, services
from alongside.privacy.factories import give_consent
from alongside.privacy.models import Consent, ConsentText, WithdrawnHow
from alongside.privacy.tests.conftest import ask
from alongside.programs.models import ContactMethod, Relationship
from alongside.referrals.tests.conftest import refer
from alongside.supporters.consent import APPLICATION_CONSENT
from alongside.supporters.services.applications import ApplicantAnswers, submit_application


def agreement(text: str, *, wording: str = "tests.surveys", language: str = "en") -> Agreement:
    return Agreement(purpose=Purpose.SURVEYS, wording=wording, text=text, language=language)


# ---- recorded where it is given ----------------------------------------------------------------


def test_a_request_from_the_public_form_keeps_its_consent_to_support_in_the_words_shown(
    program_a,
):
    support_request = ask(program_a)

    (consent,) = Consent.objects.filter(support_request=support_request)
    assert consent.purpose == Purpose.SUPPORT
    assert consent.peer_id == support_request.peer_id
    assert consent.program_id == program_a.pk
    assert consent.given_at == support_request.consent_given_at
    assert consent.given_how == GivenHow.ONLINE_FORM
    assert consent.recorded_by is None
    assert consent.text.text == str(ONLINE_SUPPORT.label)
    assert (consent.text.wording, consent.text.language, consent.text.version) == (
        "intake.online.support",
        "en",
        1,
    )
    event = AuditEvent.objects.get(action="privacy.consent.given")
    assert event.target_id == str(consent.pk)
    assert event.data == {
        "purpose": "support",
        "how": "online_form",
        "wording": "intake.online.support",
        "version": 1,
        "language": "en",
    }


def test_the_words_shown_in_french_are_kept_in_french(program_a):
    with translation.override("fr-ca"):
        support_request = ask(program_a)
        french = str(ONLINE_SUPPORT.label)

    consent = Consent.objects.get(support_request=support_request)
    assert french != str(ONLINE_SUPPORT.label)  # read back in English now
    assert consent.text.text == french
    assert consent.text.language == "fr-ca"
    # The same question, in another language: its own version 1.
    english = ask(program_a)
    assert Consent.objects.get(support_request=english).text.version == 1
    assert ConsentText.objects.filter(wording="intake.online.support").count() == 2


def test_the_same_words_keep_one_version_and_new_words_make_the_next(db):
    at = timezone.now()
    first = services.text_agreed(agreement("Questionnaires, by e-mail."), at=at)
    again = services.text_agreed(agreement("Questionnaires, by e-mail."), at=at)
    changed = services.text_agreed(agreement("Questionnaires, by e-mail or text."), at=at)
    other_question = services.text_agreed(agreement("Research.", wording="tests.research"), at=at)

    assert again == first
    assert (first.version, changed.version, other_question.version) == (1, 2, 1)
    assert first.text == "Questionnaires, by e-mail."  # never rewritten


def test_a_consent_given_to_earlier_words_keeps_them_after_the_words_change(request_a):
    earlier = give_consent(request_a, words="You may send me questionnaires.")
    Consent.objects.filter(pk=earlier.pk).update(withdrawn_at=timezone.now(), withdrawn_how="phone")

    later = give_consent(request_a, words="You may send me questionnaires by text.")

    earlier.refresh_from_db()
    assert earlier.text.text == "You may send me questionnaires."
    assert (earlier.text.version, later.text.version) == (1, 2)


def test_a_phone_request_keeps_consent_given_by_phone_recorded_by_the_call_taker(
    program_a, coordinator_a
):
    program_a.accepts_phone_requests = True
    program_a.save()

    support_request = intake.take_phone_request(
        program=program_a,
        taken_by=coordinator_a,
        call_started_at=timezone.now() - dt.timedelta(minutes=10),
        submission_token=uuid.uuid4(),
        first_name="Maya",
        phone="+16175550142",
        contact_methods=[ContactMethod.PHONE],
        language="en",
        experience=program_a.experiences.first(),
        relationship=Relationship.SELF,
        consent=True,
    )

    consent = Consent.objects.get(support_request=support_request)
    assert (consent.given_how, consent.recorded_by) == (GivenHow.PHONE, coordinator_a)
    assert consent.text.text == str(PHONE_SUPPORT.label)


def test_a_referral_keeps_consent_to_support_and_what_the_referrer_may_hear(
    referring_program, referrer_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)

    sharing, support = Consent.objects.filter(support_request=support_request).order_by("purpose")
    assert (sharing.purpose, support.purpose) == (Purpose.REFERRER, Purpose.SUPPORT)
    assert {support.given_how, sharing.given_how} == {GivenHow.REFERRER}
    assert {support.recorded_by, sharing.recorded_by} == {referrer_a}
    # What the referrer read out, then the box they ticked.
    assert support.text.text.startswith("Purpose: To match the client with a peer support worker")
    assert "With whom: The program's team; The peer support worker" in support.text.text
    assert support.text.text.endswith("for this purpose")
    assert sharing.text.text == f"{REFERRER_MAY_KNOW_WHO.label}\n{SUMMARY_TO_REFERRER.label}"


def test_a_referral_agreeing_to_neither_keeps_no_consent_to_sharing_with_the_referrer(
    referring_program, referrer_a
):
    support_request = refer(referring_program, referrer_a, who=False, summary=False)

    assert list(
        Consent.objects.filter(support_request=support_request).values_list("purpose", flat=True)
    ) == [Purpose.SUPPORT]


def test_consent_to_surveys_is_kept_only_when_the_box_was_ticked(surveying_program):
    agreed = ask(surveying_program, surveys=True)
    not_agreed = ask(surveying_program)

    assert set(
        Consent.objects.filter(support_request=agreed).values_list("purpose", flat=True)
    ) == {
        Purpose.SUPPORT,
        Purpose.SURVEYS,
    }
    assert Consent.objects.get(support_request=not_agreed).purpose == Purpose.SUPPORT


def test_consent_to_surveys_is_asked_only_where_the_program_sends_surveys(program_a):
    assert intake_hooks.consent_questions(program_a, GivenHow.ONLINE_FORM) == []

    ProgramInstrumentFactory(program=program_a)

    (asked,) = intake_hooks.consent_questions(program_a, GivenHow.PHONE)
    assert (asked.purpose, asked.key) == (Purpose.SURVEYS, "outcomes.surveys.phone")


def test_the_same_form_sent_twice_keeps_its_consent_once(program_a):
    token = uuid.uuid4()
    first = ask(program_a, submission_token=token)
    again = ask(program_a, submission_token=token)

    assert again == first
    assert Consent.objects.count() == 1


def test_a_request_that_cannot_be_taken_keeps_no_consent(program_a):
    program_a.is_active = False
    program_a.save()

    with pytest.raises(DomainError):
        ask(program_a)

    assert not Consent.objects.exists()


def test_a_request_is_not_kept_when_its_consent_cannot_be(program_a, monkeypatch):
    def fails(*args, **kwargs):
        raise RuntimeError("the database refused the consent")

    monkeypatch.setattr(services, "text_agreed", fails)

    with pytest.raises(RuntimeError):
        ask(program_a)

    assert not SupportRequest.objects.exists()
    assert not AuditEvent.objects.filter(action="intake.request.submitted").exists()


def test_an_application_keeps_the_applicants_consent_in_the_forms_words(program_a, ms):
    program_a.eligibility_rules = []
    program_a.save()

    application = submit_application(
        program=program_a,
        submission_token=uuid.uuid4(),
        answers=ApplicantAnswers(first_name="Alex", email="alex@example.net", experience=ms),
        consent=True,
    )

    consent = Consent.objects.get(application=application)
    assert (consent.purpose, consent.given_how) == (Purpose.APPLICATION, GivenHow.ONLINE_FORM)
    assert consent.given_at == application.submitted_at
    assert consent.support_request is None
    assert consent.peer is None
    assert consent.text.text == str(APPLICATION_CONSENT.label)
    assert queries.consents_of_application(application.pk) == [consent]


# ---- where a purpose stands, and withdrawal --------------------------------------------------


def test_a_purpose_stands_given_withdrawn_or_never_given(program_a, coordinator_a):
    given = ask(program_a)
    withdrawn = ask(program_a)
    never = ask(program_a)
    give_consent(given)
    services.withdraw_consent(
        consent=give_consent(withdrawn), by=coordinator_a, how=WithdrawnHow.PHONE
    )

    assert queries.standings([given.pk, withdrawn.pk, never.pk], Purpose.SURVEYS) == {
        given.pk: Standing.GIVEN,
        withdrawn.pk: Standing.WITHDRAWN,
        never.pk: Standing.NOT_GIVEN,
    }
    assert intake_hooks.consent_standing(given, Purpose.SUPPORT) == Standing.GIVEN


def test_a_consent_given_again_after_a_withdrawal_stands(request_a, coordinator_a):
    services.withdraw_consent(
        consent=give_consent(request_a), by=coordinator_a, how=WithdrawnHow.WRITING
    )

    give_consent(request_a)

    assert intake_hooks.consent_standing(request_a, Purpose.SURVEYS) == Standing.GIVEN


def test_withdrawing_records_when_who_and_how_and_is_audited(request_a, coordinator_a):
    consent = give_consent(request_a)

    withdrawn = services.withdraw_consent(
        consent=consent, by=coordinator_a, how=WithdrawnHow.IN_PERSON
    )

    assert withdrawn.withdrawn_at is not None
    assert (withdrawn.withdrawn_by, withdrawn.withdrawn_how) == (coordinator_a, "in_person")
    event = AuditEvent.objects.get(action="privacy.consent.withdrawn")
    assert (event.actor, event.target_id, event.program_id) == (
        coordinator_a,
        str(consent.pk),
        request_a.program_id,
    )
    assert event.data == {"purpose": "surveys", "how": "in_person"}


def test_a_consent_withdrawn_once_cannot_be_withdrawn_again(request_a, coordinator_a):
    consent = give_consent(request_a)
    services.withdraw_consent(consent=consent, by=coordinator_a, how=WithdrawnHow.PHONE)
    first = Consent.objects.get(pk=consent.pk).withdrawn_at

    with pytest.raises(DomainError, match="already withdrawn"):
        services.withdraw_consent(consent=consent, by=coordinator_a, how=WithdrawnHow.WRITING)

    again = Consent.objects.get(pk=consent.pk)
    assert (again.withdrawn_at, again.withdrawn_how) == (first, "phone")
    assert AuditEvent.objects.filter(action="privacy.consent.withdrawn").count() == 1


def test_consent_to_support_is_not_withdrawn_here(program_a, coordinator_a):
    consent = Consent.objects.get(support_request=ask(program_a))

    with pytest.raises(DomainError, match="cannot be withdrawn here"):
        services.withdraw_consent(consent=consent, by=coordinator_a, how=WithdrawnHow.PHONE)

    assert not Consent.objects.get(pk=consent.pk).is_withdrawn


def test_withdrawing_needs_to_say_how_the_person_asked(request_a, coordinator_a):
    consent = give_consent(request_a)

    with pytest.raises(DomainError, match="how the person asked"):
        services.withdraw_consent(consent=consent, by=coordinator_a, how="telepathy")

    assert not Consent.objects.get(pk=consent.pk).is_withdrawn
