"""A coordinator records a consent the person gives later from their request's or match's page,
where the page also says plainly when no questionnaire goes to them."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alongside.core.consent import GivenHow, Purpose
from alongside.core.models import AuditEvent
from alongside.matches.factories import MatchFactory
from alongside.outcomes.consent import ASKED_BY_A_COORDINATOR
from alongside.privacy.models import Consent
from alongside.privacy.recording import fingerprint, may_be_given
from alongside.privacy.tests.conftest import ask
from alongside.privacy.tests.test_views import words

RECORD_LINK = re.compile(r'href="(/privacy/requests/[^"]*/record/[^"]*)"')
NO_QUESTIONNAIRES = (
    "No questionnaires are sent: they have not agreed to them. Record their consent if they agree."
)


def record_url(support_request, purpose=Purpose.SURVEYS) -> str:
    return reverse("privacy:record", args=[support_request.pk, purpose])


def answers(support_request, **extra):
    shown = fingerprint(may_be_given(support_request)[Purpose.SURVEYS])
    return {"how": GivenHow.PHONE, "words": shown} | extra


def surveys_consents(support_request):
    return Consent.objects.filter(support_request=support_request, purpose=Purpose.SURVEYS)


@pytest.fixture
def never_asked(surveying_program):
    """A person whose program sends questionnaires, who was never asked about them."""
    return ask(surveying_program, surveys=False)


# ---- the pages that offer it -------------------------------------------------------------------


def test_the_request_page_says_no_questionnaires_go_and_offers_to_record_the_consent(
    client, coordinator_a, never_asked
):
    client.force_login(coordinator_a)

    text = words(client.get(reverse("intake:request_detail", args=[never_asked.pk])))

    assert NO_QUESTIONNAIRES in text
    # Only ids in the link: nothing of the person.
    assert RECORD_LINK.findall(text) == [record_url(never_asked)]
    assert "Record a consent: Surveys" in text


def test_the_match_page_says_it_too_and_comes_back_to_the_match(
    client, coordinator_a, supporter_a, surveying_program
):
    match = MatchFactory(program=surveying_program, supporter=supporter_a)
    client.force_login(coordinator_a)

    text = words(client.get(reverse("matches:detail", args=[match.pk])))

    assert NO_QUESTIONNAIRES in text
    assert RECORD_LINK.findall(text) == [f"{record_url(match.request)}?match={match.pk}"]


def test_a_person_whose_consent_stands_has_no_notice_and_nothing_to_record(
    client, coordinator_a, surveying_program
):
    support_request = ask(surveying_program, surveys=True)
    client.force_login(coordinator_a)

    text = words(client.get(reverse("intake:request_detail", args=[support_request.pk])))

    assert NO_QUESTIONNAIRES not in text
    assert RECORD_LINK.findall(text) == []


def test_a_program_that_sends_no_questionnaires_says_nothing_of_them(
    client, coordinator_a, program_a
):
    support_request = ask(program_a)
    client.force_login(coordinator_a)

    text = words(client.get(reverse("intake:request_detail", args=[support_request.pk])))

    assert NO_QUESTIONNAIRES not in text
    assert RECORD_LINK.findall(text) == []


def test_the_supporter_of_the_match_sees_neither(client, supporter_a, surveying_program):
    match = MatchFactory(program=surveying_program, supporter=supporter_a)
    client.force_login(supporter_a.user)

    text = words(client.get(reverse("matches:detail", args=[match.pk])))

    assert NO_QUESTIONNAIRES not in text
    assert RECORD_LINK.findall(text) == []


# ---- who may record ----------------------------------------------------------------------------


def test_another_programs_coordinator_gets_not_found(client, coordinator_b, never_asked):
    client.force_login(coordinator_b)

    assert client.get(record_url(never_asked)).status_code == 404
    assert client.post(record_url(never_asked), answers(never_asked)).status_code == 404
    assert not surveys_consents(never_asked).exists()


def test_a_supporter_is_refused(client, supporter_a, never_asked):
    client.force_login(supporter_a.user)

    assert client.get(record_url(never_asked)).status_code == 403
    assert client.post(record_url(never_asked), answers(never_asked)).status_code == 403
    assert not surveys_consents(never_asked).exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, never_asked):
    response = client.post(record_url(never_asked), answers(never_asked))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not surveys_consents(never_asked).exists()


# ---- recording ---------------------------------------------------------------------------------


def test_the_page_shows_the_words_in_the_persons_language_and_asks_how(
    client, coordinator_a, surveying_program
):
    support_request = ask(surveying_program, language="fr")
    client.force_login(coordinator_a)

    text = words(client.get(record_url(support_request)))

    with translation.override("fr-ca"):
        french = str(ASKED_BY_A_COORDINATOR.label)
    assert "Record a consent: Surveys" in text
    assert "The words to read to them, in French" in text
    assert 'lang="fr-ca"' in text
    assert french in text
    assert "How did the person give it?" in text
    assert "In person" in text
    assert "Online form" not in text
    assert "Questionnaires are sent to them again from the next one due" in text
    assert not surveys_consents(support_request).exists()


def test_a_coordinator_records_a_consent_given_by_phone_and_comes_back_to_the_request(
    client, coordinator_a, never_asked
):
    client.force_login(coordinator_a)

    response = client.post(record_url(never_asked), answers(never_asked), follow=True)

    assert response.redirect_chain == [
        (reverse("intake:request_detail", args=[never_asked.pk]), 302)
    ]
    text = words(response)
    assert "Consent recorded: Surveys." in text
    assert "By phone with a coordinator" in text
    assert NO_QUESTIONNAIRES not in text
    consent = surveys_consents(never_asked).get()
    assert (consent.recorded_by, consent.given_how) == (coordinator_a, GivenHow.PHONE)
    assert AuditEvent.objects.filter(action="privacy.consent.given", actor=coordinator_a).exists()


def test_recording_from_the_match_page_comes_back_to_it(
    client, coordinator_a, supporter_a, surveying_program
):
    match = MatchFactory(program=surveying_program, supporter=supporter_a)
    client.force_login(coordinator_a)

    response = client.post(
        record_url(match.request), answers(match.request, match=match.pk, how="writing")
    )

    assert response["Location"] == reverse("matches:detail", args=[match.pk])
    assert surveys_consents(match.request).get().given_how == GivenHow.WRITING


def test_a_second_press_finds_it_already_recorded(client, coordinator_a, never_asked):
    client.force_login(coordinator_a)
    sent = answers(never_asked)
    client.post(record_url(never_asked), sent)

    response = client.post(record_url(never_asked), sent | {"how": "in_person"}, follow=True)

    assert response.status_code == 200
    assert "This consent is already recorded." in words(response)
    assert surveys_consents(never_asked).get().given_how == GivenHow.PHONE
    assert (
        AuditEvent.objects.filter(action="privacy.consent.given", actor=coordinator_a).count() == 1
    )


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ({"how": ""}, "Choose how the person gave their consent."),
        ({"how": "online_form"}, "Select a valid choice."),
        ({"how": "carrier pigeon"}, "Select a valid choice."),
        ({"words": ""}, "The words changed since the page was opened"),
        ({"words": "x" * 5000}, "The words changed since the page was opened"),
        ({"match": "not a number"}, "Consent recorded"),
    ],
)
def test_bad_answers_say_what_is_wrong_and_never_fail(
    client, coordinator_a, never_asked, sent, says
):
    client.force_login(coordinator_a)

    response = client.post(record_url(never_asked), answers(never_asked) | sent, follow=True)

    assert response.status_code == 200
    assert says in words(response)
    assert surveys_consents(never_asked).exists() == (says == "Consent recorded")


def test_a_purpose_that_is_not_one_is_not_found(client, coordinator_a, never_asked):
    client.force_login(coordinator_a)

    assert client.get(record_url(never_asked, "everything")).status_code == 404


@pytest.mark.parametrize("purpose", [Purpose.SUPPORT, Purpose.RESEARCH, Purpose.REFERRER])
def test_a_purpose_the_program_does_not_ask_goes_back_saying_so(
    client, coordinator_a, never_asked, purpose
):
    client.force_login(coordinator_a)

    response = client.post(record_url(never_asked, purpose), {"how": "phone"}, follow=True)

    text = words(response)
    assert (
        "This consent is already recorded." in text
        if purpose == Purpose.SUPPORT
        else "The program does not ask for this consent." in text
    )
    assert Consent.objects.filter(support_request=never_asked).count() == 1
