"""Every message is written in its recipient's language, whoever sets it off.

In each test the person whose action sends the message works in English (the language active
while the service runs), and the recipient reads French: a peer who asked in French, a
supporter, a referrer or a coordinator whose account is in French. Each main kind of message is
here: the request received, the introduction to the supporter, the referral's updates, the end
of a match, an escalation to the coordinators, and the reminders the worker sends.
"""

import datetime as dt
import uuid

import pytest
from django.utils import translation

from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.intake import services as intake
from alongside.intake.models import Source
from alongside.matches.factories import MatchFactory
from alongside.matches.hours import open_monthly_report
from alongside.matches.models import ClosureReason
from alongside.matches.services import lifecycle
from alongside.matches.tests.test_life_of_a_match import close
from alongside.notifications.models import Channel, OutboxMessage
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.safety.models import Urgency
from alongside.safety.services.escalations import raise_escalation
from alongside.supporters.services.applications import ApplicantAnswers, submit_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _the_sender_works_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def bilingual(program_a):
    program_a.languages = [Language.ENGLISH, Language.FRENCH]
    program_a.accepts_referrals = True
    program_a.save()
    return program_a


def in_french(user):
    user.language = "fr-ca"
    user.save()
    return user


def ask(program, ms, **answers):
    """A request by e-mail from Jordan, in English, unless `answers` say otherwise."""
    return intake.submit_support_request(
        **{
            "program": program,
            "source": Source.PUBLIC_FORM,
            "submission_token": uuid.uuid4(),
            "first_name": "Jordan",
            "email": "jordan@example.net",
            "contact_methods": [ContactMethod.EMAIL],
            "language": Language.ENGLISH,
            "experience": ms,
            "relationship": Relationship.SELF,
            "consent": True,
        }
        | answers
    )


def test_a_peer_who_asked_in_french_by_phone_is_told_their_request_was_received_in_french(
    bilingual, ms, coordinator_a
):
    ask(
        bilingual,
        ms,
        source=Source.PHONE,
        first_name="Camille",
        email="camille@example.net",
        language=Language.FRENCH,
        entered_by=coordinator_a,
    )

    to_peer = OutboxMessage.objects.get(kind="intake.request.received")
    to_coordinator = OutboxMessage.objects.get(recipient=coordinator_a)
    assert to_peer.to_address == "camille@example.net"
    assert to_peer.subject == "Nous avons bien reçu votre demande de soutien par les pairs"
    assert "Bonjour Camille" in to_peer.body
    assert to_coordinator.subject == "New request for support"


def test_a_french_speaking_supporter_is_introduced_to_their_match_in_french(
    bilingual, ms, supporter_a, coordinator_a
):
    in_french(supporter_a.user)
    support_request = ask(bilingual, ms)

    lifecycle.start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )

    to_supporter = OutboxMessage.objects.get(recipient=supporter_a.user, channel=Channel.EMAIL)
    to_peer = OutboxMessage.objects.get(kind="matches.match.introduced", recipient=None)
    assert to_supporter.subject == "Vous avez un nouveau jumelage au programme Program A"
    assert to_peer.subject == "We found a peer supporter for you"


def referred_match(program, supporter, language):
    referrer = in_french(UserFactory(email="dre.roy@example.org", first_name="Hélène"))
    match = MatchFactory(
        program=program,
        supporter=supporter,
        request__source=Source.REFERRAL,
        request__referred_by=referrer,
        request__language=language,
        request__peer__language=language,
    )
    return referrer, match


def test_a_french_speaking_referrer_hears_the_end_of_the_match_in_french_with_its_reason(
    bilingual, supporter_a, coordinator_a
):
    referrer, match = referred_match(bilingual, supporter_a, Language.ENGLISH)

    close(match, coordinator_a, reason=ClosureReason.COMPLETED, summary_to_referrer_consented=True)

    told = OutboxMessage.objects.get(recipient=referrer, channel=Channel.EMAIL)
    assert told.subject.startswith("Le soutien par les pairs de la personne")
    assert "terminé comme prévu" in told.body
    assert "Completed" not in told.body


def test_a_french_speaking_referrer_hears_that_their_client_is_matched_in_french(
    bilingual, ms, supporter_a, coordinator_a
):
    referrer = in_french(user_with_role(Role.REFERRER, bilingual, email="dre.roy@example.org"))
    support_request = ask(bilingual, ms, source=Source.REFERRAL, referred_by=referrer)

    lifecycle.start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )

    told = OutboxMessage.objects.get(recipient=referrer, channel=Channel.EMAIL)
    assert told.subject == "Votre recommandation à Program A a mené à un jumelage"


def test_a_french_speaking_coordinator_hears_of_an_escalation_in_french(
    bilingual, match_a, coordinator_a
):
    francophone = in_french(user_with_role(Role.COORDINATOR, bilingual, email="coordo@example.org"))

    raise_escalation(
        program=bilingual,
        raised_by=match_a.supporter.user,
        urgency=Urgency.BEYOND_ROLE,
        what_happened="They asked about medication doses.",
        match=match_a,
    )

    in_french_ = OutboxMessage.objects.get(recipient=francophone, channel=Channel.EMAIL)
    in_english = OutboxMessage.objects.get(recipient=coordinator_a, channel=Channel.EMAIL)
    assert in_french_.subject.startswith("Une personne paire aidante a besoin de votre aide")
    assert in_english.subject.startswith("A supporter needs your help")


def test_a_french_speaking_supporter_is_asked_for_their_hours_with_the_month_in_french(
    bilingual, supporter_a
):
    in_french(supporter_a.user)

    open_monthly_report(supporter_a.pk, dt.datetime(2026, 3, 5, 15, tzinfo=dt.UTC))

    asked = OutboxMessage.objects.get(recipient=supporter_a.user, channel=Channel.EMAIL)
    assert asked.subject == "Vos heures pour février 2026"


def test_someone_who_applies_on_the_french_form_is_thanked_and_invited_in_french(bilingual):
    application = submit_application(
        program=bilingual,
        submission_token=uuid.uuid4(),
        answers=ApplicantAnswers(first_name="Élise", email="elise@example.net", language="fr-ca"),
        consent=True,
    )

    thanked = OutboxMessage.objects.get(kind="supporters.application.received")
    assert application.language == "fr-ca"
    assert thanked.subject == "Merci pour votre candidature"
    assert application.supporter is not None
    assert application.supporter.user.language == "fr-ca"
    invited = OutboxMessage.objects.get(kind="accounts.invitation.sent")
    assert invited.subject == "Votre compte Alongside\u00a0: choisissez votre mot de passe"
