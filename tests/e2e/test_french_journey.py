"""A francophone asks for support in French, and each person reads their own language.

On the demo's MS program (English and French), Émilie opens the site, chooses Français in the
header and asks for support on the program's form, crisis lines in French. The confirmation page
and her e-mail are in French. Maryse, the coordinator, works in English: she reads Émilie's
request in English and matches her with a supporter whose account is in French, who gets the
introduction in French and reads the match in French; Émilie's text messages are in French.
Each person uses their own browser (the cookies are cleared between them). Every page is
checked by axe, the home page in both languages.
"""

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alongside.accounts.factories import give_authenticator_app
from alongside.accounts.models import User
from alongside.core import blind_index
from alongside.demo.ms import MS_FRENCH, build_ms_program
from alongside.demo.shared import DEMO_DOMAIN, DEMO_PASSWORD, MS_SLUG, SEED, Seeder, demo_login
from alongside.intake.models import Peer, SupportRequest
from alongside.matching.queries import shortlist
from alongside.programs.models import Program
from alongside.supporters.models import Supporter
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

EMILIE = "Émilie"
EMILIE_EMAIL = "emilie.gagnon@example.net"
FRENCH_NAME = MS_FRENCH["name"]
FRENCH_CRISIS_LINES = MS_FRENCH["crisis_message"]


@dataclass
class Cast:
    program: Program
    coordinator: User  # works in English
    sms_log: Path


@pytest.fixture
def cast(settings, tmp_path: Path) -> Cast:
    seeder = Seeder(
        now=timezone.now(), rng=random.Random(SEED), password_hash=make_password(DEMO_PASSWORD)
    )
    build_ms_program(seeder, demo_login(f"admin@{DEMO_DOMAIN}"))
    # What the journey sends, apart from what building the demo sent.
    mail.outbox.clear()
    settings.SMS_BACKEND = "alongside.notifications.sms.FileSmsBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.log"
    coordinator = User.objects.get(email=f"coordinator.ms@{DEMO_DOMAIN}")
    assert coordinator.language == "en"
    give_authenticator_app(coordinator)  # staff sign in with two steps
    return Cast(Program.objects.get(slug=MS_SLUG), coordinator, settings.SMS_FILE_PATH)


def ask_in_french(journey: Journey) -> SupportRequest:
    page = journey.page
    journey.open("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    journey.go(page.get_by_role("button", name="Français (Canada)"), "home in French")
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    card = page.get_by_role("listitem").filter(
        has=page.get_by_role("heading", name=FRENCH_NAME, level=3)
    )
    journey.go(card.get_by_role("link", name=re.compile("^Demander du soutien")), "the form")

    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Demander du soutien par les pairs")
    expect(main).to_contain_text(FRENCH_CRISIS_LINES)
    page.get_by_label("Quel nom devons-nous utiliser pour vous?").fill(EMILIE)
    page.get_by_label("Adresse courriel").fill(EMILIE_EMAIL)
    page.get_by_label("Numéro de téléphone").fill("514 555 0142")
    ways = page.get_by_role("group", name=re.compile(r"^Comment pouvons-nous vous joindre\?"))
    ways.get_by_label("Courriel", exact=True).check()
    ways.get_by_label("Texto").check()
    # The form offers to talk in the language she reads it in.
    expect(page.get_by_label("Dans quelle langue souhaitez-vous parler?")).to_have_value("fr")
    page.get_by_role("radio", name="Sclérose en plaques (SP)").check()
    page.get_by_role("radio", name="Je le vis moi-même").check()
    page.get_by_role("radio", name="Non", exact=True).check()
    page.get_by_label("De quoi aimeriez-vous parler? (facultatif)").fill(
        "On m'a annoncé la SP au printemps. J'aimerais parler à quelqu'un qui est passé par là."
    )
    page.get_by_role("checkbox", name=re.compile(r"^J'accepte que le programme")).check()
    journey.go(page.get_by_role("button", name="Envoyer ma demande"), "request received")

    expect(main.get_by_role("heading", level=1)).to_have_text(
        "Merci. Nous avons bien reçu votre demande."
    )
    expect(main).to_contain_text(FRENCH_CRISIS_LINES)
    her_name = blind_index.matches(Peer, "first_name", EMILIE, path="peer__")
    return SupportRequest.objects.get(her_name, program__slug=MS_SLUG)


def her_email_is_in_french(support_request: SupportRequest) -> None:
    (email,) = [message for message in mail.outbox if message.to == [EMILIE_EMAIL]]
    assert email.subject == "Nous avons bien reçu votre demande de soutien par les pairs"
    assert email.body.startswith(f"Bonjour {EMILIE},")
    assert f"Merci d'avoir communiqué avec {FRENCH_NAME}." in email.body
    assert support_request.language == "fr"


def match_in_english(journey: Journey, cast: Cast, support_request: SupportRequest) -> Supporter:
    """Maryse reads the request in English and matches Émilie with a French-speaking supporter;
    returns the supporter."""
    page = journey.page
    journey.sign_in(cast.coordinator.email, DEMO_PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    journey.go(page.get_by_role("link", name="Requests", exact=True), "queue")
    journey.go(page.get_by_role("link", name=f"{EMILIE} · #{support_request.pk}"), "request")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{EMILIE} — request #{support_request.pk}"
    )
    expect(page.get_by_role("main")).to_contain_text("French")
    supporter = next(
        candidate.supporter
        for candidate in shortlist(support_request).candidates
        if candidate.supporter.user.language == "fr-ca"
    )
    name = supporter.display_name
    journey.go(page.get_by_role("link", name=f"Match with {name}"), "match confirmation")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Match {EMILIE} with {name}?")
    journey.go(page.get_by_role("button", name="Start the match and send both messages"), "matched")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{EMILIE} and {name}")
    journey.sign_out()
    return supporter


def introductions_are_in_french(cast: Cast, supporter: Supporter) -> None:
    (to_supporter,) = [message for message in mail.outbox if message.to == [supporter.user.email]]
    assert to_supporter.subject == f"Vous avez un nouveau jumelage au programme {FRENCH_NAME}"
    texts = [json.loads(line) for line in cast.sms_log.read_text().splitlines()]
    introduction, *questionnaires = texts
    assert introduction["to"] == "+15145550142"
    assert introduction["body"] == (
        f"Bonjour {EMILIE}, {supporter.display_name}, du programme {FRENCH_NAME}, "
        "communiquera avec vous bientôt."
    )
    # The questions the program asks as a match starts go to her, in French too.
    for text in questionnaires:
        assert text["to"] == "+15145550142"
        assert text["body"].startswith(f"Bonjour {EMILIE}, accepteriez-vous de répondre")


def read_the_match_in_french(journey: Journey, supporter: Supporter) -> None:
    page = journey.page
    journey.sign_in_with_password(supporter.user.email, DEMO_PASSWORD)
    # Her own language, on a browser that asked for nothing else.
    expect(page.locator("html")).to_have_attribute("lang", "fr-ca")
    journey.go(page.get_by_role("link", name="Jumelages", exact=True), "her matches")
    journey.go(page.get_by_role("link", name=re.compile(rf"^{EMILIE} · #")), "the match")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"{EMILIE} et {supporter.display_name}"
    )
    journey.go(page.get_by_role("button", name="Se déconnecter"), "signed out")


def test_a_francophone_asks_in_french_and_each_person_reads_their_own_language(
    journey: Journey, cast: Cast
) -> None:
    support_request = ask_in_french(journey)
    her_email_is_in_french(support_request)

    journey.page.context.clear_cookies()  # Maryse, on her own computer
    supporter = match_in_english(journey, cast, support_request)

    introductions_are_in_french(cast, supporter)
    journey.page.context.clear_cookies()  # the supporter, on hers
    read_the_match_in_french(journey, supporter)
