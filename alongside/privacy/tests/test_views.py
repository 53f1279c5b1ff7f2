"""A coordinator sees a person's consents on their request, match and application pages, and
withdraws one on the person's request, after a page that says what stops."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from alongside.core.consent import GivenHow, Purpose
from alongside.core.models import AuditEvent
from alongside.intake.consent import ONLINE_SUPPORT
from alongside.matches.factories import MatchFactory
from alongside.privacy.factories import give_consent
from alongside.privacy.models import Consent
from alongside.privacy.services import record_application_consents
from alongside.privacy.tests.conftest import ask
from alongside.referrals.tests.conftest import refer
from alongside.supporters.consent import APPLICATION_CONSENT
from alongside.supporters.factories import ApplicationFactory

WITHDRAW_LINK = re.compile(r'href="(/privacy/consents/\d+/withdraw/[^"]*)"')


def words(response) -> str:
    """The page's text with its whitespace folded, as a person reads it."""
    return " ".join(response.content.decode().split())


def withdraw_url(consent: Consent) -> str:
    return reverse("privacy:withdraw", args=[consent.pk])


@pytest.fixture
def surveys_consent(program_a):
    """A person who asked on the public form in French and agreed to questionnaires."""
    with translation.override("fr-ca"):
        support_request = ask(program_a)
    return give_consent(support_request, words="Vous pouvez m'envoyer des questionnaires.")


# ---- seeing them -------------------------------------------------------------------------------


def test_the_request_page_shows_each_consent_its_version_when_how_and_its_words(
    client, coordinator_a, surveys_consent
):
    client.force_login(coordinator_a)

    page = client.get(reverse("intake:request_detail", args=[surveys_consent.support_request_id]))

    text = words(page)
    assert text.count('data-testid="consent"') == 2
    assert "Support · " in text
    assert "Surveys · " in text
    assert "Online form" in text
    assert "The words agreed to: version 1, in French" in text
    # The words as they were shown, marked as French for a screen reader.
    with translation.override("fr-ca"):
        french = str(ONLINE_SUPPORT.label)
    assert 'lang="fr-ca"' in text
    assert french.replace("'", "&#x27;") in text
    # Only the consent to surveys may be withdrawn here; its link carries no personal data.
    assert WITHDRAW_LINK.findall(text) == [withdraw_url(surveys_consent)]


def test_the_match_page_shows_the_consents_to_staff_and_comes_back_to_it(
    client, coordinator_a, supporter_a, program_a
):
    match = MatchFactory(program=program_a, supporter=supporter_a)
    consent = give_consent(match.request)
    client.force_login(coordinator_a)

    text = client.get(reverse("matches:detail", args=[match.pk])).content.decode()

    assert WITHDRAW_LINK.findall(text) == [f"{withdraw_url(consent)}?match={match.pk}"]


def test_the_supporter_of_the_match_does_not_see_the_consents(client, supporter_a, program_a):
    match = MatchFactory(program=program_a, supporter=supporter_a)
    give_consent(match.request)
    client.force_login(supporter_a.user)

    text = client.get(reverse("matches:detail", args=[match.pk])).content.decode()

    assert 'data-testid="consents"' not in text


def test_the_application_page_shows_the_applicants_consent_without_a_way_to_withdraw_it(
    client, coordinator_a, program_a
):
    application = ApplicationFactory(program=program_a)
    record_application_consents(
        application=application,
        agreements=[APPLICATION_CONSENT.agreed()],
        how=GivenHow.ONLINE_FORM,
    )
    client.force_login(coordinator_a)

    text = words(client.get(reverse("supporters:application", args=[application.pk])))

    assert "Their application to be a supporter · " in text
    assert WITHDRAW_LINK.findall(text) == []


# ---- who may withdraw --------------------------------------------------------------------------


def test_another_programs_coordinator_cannot_open_or_withdraw_a_consent(
    client, coordinator_b, surveys_consent
):
    client.force_login(coordinator_b)

    assert client.get(withdraw_url(surveys_consent)).status_code == 404
    assert client.post(withdraw_url(surveys_consent), {"how": "phone"}).status_code == 404
    assert not Consent.objects.get(pk=surveys_consent.pk).is_withdrawn


@pytest.mark.parametrize("persona", ["supporter_a", "referrer_a"])
def test_people_who_are_not_the_programs_staff_cannot_withdraw(
    client, request, persona, surveys_consent
):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))

    assert client.post(withdraw_url(surveys_consent), {"how": "phone"}).status_code in {403, 404}
    assert not Consent.objects.get(pk=surveys_consent.pk).is_withdrawn


def test_an_anonymous_visitor_is_sent_to_sign_in(client, surveys_consent):
    response = client.get(withdraw_url(surveys_consent))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# ---- withdrawing -------------------------------------------------------------------------------


def test_the_page_asks_how_the_person_asked_and_says_what_stops_changing_nothing(
    client, coordinator_a, surveys_consent
):
    client.force_login(coordinator_a)

    text = client.get(withdraw_url(surveys_consent)).content.decode()

    assert "Withdraw the consent: Surveys" in text
    assert "No more questionnaires are sent to them, from now on." in text
    assert "How did the person ask?" in text
    assert "Vous pouvez m&#x27;envoyer des questionnaires." in text
    assert not Consent.objects.get(pk=surveys_consent.pk).is_withdrawn


def test_withdrawing_without_saying_how_shows_the_error_and_changes_nothing(
    client, coordinator_a, surveys_consent
):
    client.force_login(coordinator_a)

    response = client.post(withdraw_url(surveys_consent), {})

    assert response.status_code == 200
    assert "Choose how the person asked to withdraw their consent." in response.content.decode()
    assert not Consent.objects.get(pk=surveys_consent.pk).is_withdrawn


def test_a_coordinator_withdraws_and_comes_back_to_the_request_page(
    client, coordinator_a, surveys_consent
):
    client.force_login(coordinator_a)

    response = client.post(withdraw_url(surveys_consent), {"how": "writing"}, follow=True)

    request_page = reverse("intake:request_detail", args=[surveys_consent.support_request_id])
    assert response.redirect_chain == [(request_page, 302)]
    text = response.content.decode()
    assert "Consent withdrawn: Surveys." in text
    assert "Withdrawn" in text
    assert "In writing: e-mail, text message or letter" in text
    consent = Consent.objects.get(pk=surveys_consent.pk)
    assert (consent.withdrawn_by, consent.withdrawn_how) == (coordinator_a, "writing")
    assert AuditEvent.objects.filter(action="privacy.consent.withdrawn", actor=coordinator_a)
    assert WITHDRAW_LINK.findall(text) == []


def test_withdrawing_from_the_match_page_comes_back_to_it(
    client, coordinator_a, supporter_a, program_a
):
    match = MatchFactory(program=program_a, supporter=supporter_a)
    consent = give_consent(match.request)
    client.force_login(coordinator_a)

    response = client.post(withdraw_url(consent), {"how": "phone", "match": match.pk})

    assert response["Location"] == reverse("matches:detail", args=[match.pk])


def test_a_match_of_someone_else_is_never_the_way_back(
    client, coordinator_a, surveys_consent, program_a
):
    elsewhere = MatchFactory(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(withdraw_url(surveys_consent), {"how": "phone", "match": elsewhere.pk})

    assert response["Location"] == reverse(
        "intake:request_detail", args=[surveys_consent.support_request_id]
    )


def test_a_second_withdrawal_finds_it_done_and_says_so(client, coordinator_a, surveys_consent):
    client.force_login(coordinator_a)
    client.post(withdraw_url(surveys_consent), {"how": "phone"})

    response = client.post(withdraw_url(surveys_consent), {"how": "in_person"}, follow=True)

    assert "This consent was already withdrawn." in response.content.decode()
    assert Consent.objects.get(pk=surveys_consent.pk).withdrawn_how == "phone"
    assert AuditEvent.objects.filter(action="privacy.consent.withdrawn").count() == 1


def test_consent_to_support_has_no_withdrawal_page(client, coordinator_a, surveys_consent):
    support = Consent.objects.get(
        support_request_id=surveys_consent.support_request_id, purpose=Purpose.SUPPORT
    )
    client.force_login(coordinator_a)

    response = client.post(withdraw_url(support), {"how": "phone"}, follow=True)

    assert "cannot be withdrawn here" in response.content.decode()
    assert not Consent.objects.get(pk=support.pk).is_withdrawn


def test_the_referrers_page_says_the_client_withdrew_and_nothing_more(
    client, referring_program, referrer_a, coordinator_a
):
    support_request = refer(referring_program, referrer_a, who=True, summary=True)
    sharing = Consent.objects.get(support_request=support_request, purpose=Purpose.REFERRER)
    client.force_login(coordinator_a)
    client.post(withdraw_url(sharing), {"how": "referrer"})
    client.force_login(referrer_a)

    detail = client.get(reverse("referrals:detail", args=[support_request.pk])).content.decode()
    mine = client.get(reverse("referrals:mine")).content.decode()

    assert "The client withdrew their consent to sharing with you" in detail
    assert "Waiting for a match" not in detail
    assert "No longer shared with you" in mine
