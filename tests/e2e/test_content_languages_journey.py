"""A bilingual program's texts in French, in pages: its coordinator sees which texts are not
written in French yet, writes the French of its crisis lines and of its crisis question side by
side with the English, and a visitor reading in French sees them on the public request form,
with what is still English marked as English (ADR 0004)."""

import re

import pytest
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.accounts.models import User
from alongside.programs.models import Program
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

SAFE_NOW = {
    "key": "safe_now",
    "question": "Are you thinking about harming yourself?",
    "answers": ["No", "Yes"],
    "crisis_answers": ["Yes"],
}
FRENCH_LINES = "Appelez ou textez le 9-8-8, jour et nuit, en français."
FRENCH_QUESTION = "Pensez-vous à vous faire du mal?"


def write_the_french_crisis_lines_and_question(journey: Journey, program: Program) -> None:
    page = journey.page
    journey.open(f"/programs/{program.pk}/settings/")
    expect(page.get_by_test_id("setup")).to_contain_text(
        re.compile(r"French: \d+ texts not written yet\.")
    )
    journey.go(page.get_by_role("link", name="Change Safety"), "safety")
    english = page.get_by_role("textbox", name="Crisis lines", exact=True)
    french = page.get_by_role("textbox", name=re.compile(r"^Crisis lines — French"))
    expect(english).to_have_value("In crisis? Call or text 9-8-8, day or night.")
    expect(french).to_have_attribute("lang", "fr")
    expect(page.get_by_test_id("missing-translation").first).to_be_visible()
    french.fill(FRENCH_LINES)
    expect(page.get_by_role("textbox", name="Crisis question 1 — English")).to_have_value(
        SAFE_NOW["question"]
    )
    page.get_by_role("textbox", name=re.compile(r"^Crisis question 1 — French")).fill(
        FRENCH_QUESTION
    )
    page.get_by_role("textbox", name=re.compile(r"^Answer 2 — French")).fill("Oui")
    journey.go(page.get_by_role("button", name="Save"), "safety saved")
    expect(page.get_by_role("status")).to_contain_text("Safety saved.")


def read_the_form_in_french(journey: Journey, program: Program) -> None:
    page = journey.page
    journey.open(f"/ask/{program.slug}/")
    journey.go(page.get_by_role("button", name="Français (Canada)"), "the form in French")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Demander du soutien par les pairs")
    expect(main).to_contain_text(FRENCH_LINES)
    expect(page.get_by_role("group", name=FRENCH_QUESTION)).to_be_visible()
    expect(page.get_by_role("radio", name="Oui")).to_be_visible()
    # Not written in French yet: the program's English name, marked as English.
    name = main.locator('.lead span[lang="en"]')
    expect(name).to_have_text(program.name)
    expect(main.locator(".lead")).to_contain_text("(en anglais)")


def test_a_coordinator_writes_the_french_crisis_lines_and_question_seen_on_the_french_form(
    journey: Journey, coordinator_a: User, program_a: Program
) -> None:
    program_a.crisis_questions = [SAFE_NOW]
    program_a.save()

    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    write_the_french_crisis_lines_and_question(journey, program_a)
    journey.sign_out()

    read_the_form_in_french(journey, program_a)
