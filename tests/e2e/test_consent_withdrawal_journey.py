"""A person asks for support and agrees to the program's questionnaires; months later they call
to say they want no more. Their coordinator withdraws that consent from their match's page,
after a page that says what stops, and no questionnaire is sent to them. Later still they call
again: they would answer them after all. The match page says plainly that none goes to them;
the coordinator reads them the words and records their consent, given by phone, and the next
questionnaire due goes out."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from alongside.accounts.factories import DEMO_PASSWORD
from alongside.core.consent import Purpose, Standing
from alongside.core.models import AuditEvent
from alongside.intake.hooks import consent_standing
from alongside.intake.models import SupportRequest
from alongside.matches.factories import CheckInFactory
from alongside.matches.services.checkins import log_checkin
from alongside.matches.services.lifecycle import start_match
from alongside.outcomes.factories import ProgramInstrumentFactory
from alongside.outcomes.models import Survey
from tests.e2e.conftest import Journey

pytestmark = pytest.mark.django_db(transaction=True)

SURVEYS_BOX = re.compile(r"^I agree to receive short questionnaires about how I am doing")


def ask_agreeing_to_questionnaires(journey: Journey, program_slug: str) -> SupportRequest:
    page = journey.page
    journey.open(reverse("intake:request_support", args=[program_slug]))
    page.get_by_label("What name should we use for you?").fill("Dana")
    page.get_by_label("E-mail address").fill("dana.peer@example.net")
    contact = page.get_by_role("group", name=re.compile(r"^How may we contact you\?"))
    contact.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Which language would you like to talk in?").select_option(label="English")
    page.get_by_role("radio", name="Multiple sclerosis").check()
    page.get_by_role("radio", name="I live with it myself").check()
    page.get_by_role("checkbox", name=re.compile(r"^I agree that the program")).check()
    # The program sends questionnaires, so its form asks, apart, whether they may be sent.
    surveys = page.get_by_role("checkbox", name=SURVEYS_BOX)
    expect(surveys).to_have_accessible_description(re.compile(r"^At the start, during and at"))
    expect(surveys).not_to_be_checked()
    surveys.check()
    journey.go(page.get_by_role("button", name="Send my request"), "request received")
    expect(
        page.get_by_role("heading", name="Thank you. We have your request.", level=1)
    ).to_be_visible()
    return SupportRequest.objects.get()


def test_a_coordinator_withdraws_consent_to_questionnaires_and_none_is_sent_again(
    journey: Journey, program_a, ms, coordinator_a, supporter_a
) -> None:
    ProgramInstrumentFactory(program=program_a, at_start=True, at_milestones=True)
    page = journey.page

    support_request = ask_agreeing_to_questionnaires(journey, program_a.slug)
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.GIVEN
    match = start_match(
        support_request=support_request, supporter=supporter_a, started_by=coordinator_a
    )
    assert Survey.objects.filter(match=match).count() == 1  # the start's questionnaire

    # Dana calls: no more questionnaires, please. Her coordinator opens her match.
    journey.sign_in(coordinator_a.email, DEMO_PASSWORD)
    match_page = reverse("matches:detail", args=[match.pk])
    journey.open(match_page)
    consents = page.get_by_role("region", name="Consents")
    expect(consents.get_by_role("heading", level=3)).to_have_text(
        [re.compile(r"^\s*Support\s+·\s+Given\s*$"), re.compile(r"^\s*Surveys\s+·\s+Given\s*$")]
    )
    expect(consents).to_contain_text("Online form")
    consents.get_by_text(re.compile(r"^\s*The words agreed to: version 1, in English")).last.click()
    expect(consents.locator("blockquote[lang=en]").last).to_contain_text(
        "I agree to receive short questionnaires about how I am doing (optional)"
    )
    journey.check("the words agreed to, open")

    journey.go(
        consents.get_by_role("link", name="Withdraw the consent: Surveys"), "the withdrawal page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the consent: Surveys")
    expect(page.get_by_test_id("what-happens")).to_contain_text(
        "No more questionnaires are sent to them, from now on."
    )
    withdraw = page.get_by_role("button", name="Withdraw the consent")

    # Sent without saying how she asked: the page says what is missing, and nothing changes.
    journey.go(withdraw, "how she asked is missing")
    expect(
        page.get_by_role(
            "link",
            name="How did the person ask?: Choose how the person asked to withdraw their consent.",
        )
    ).to_be_visible()
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.GIVEN

    page.get_by_role("radio", name="By phone").check()
    journey.go(withdraw, "back on the match")
    expect(page).to_have_url(re.compile(rf"{re.escape(match_page)}$"))
    expect(page.get_by_text("Consent withdrawn: Surveys.")).to_be_visible()
    expect(consents.get_by_role("heading", level=3).last).to_have_text(
        re.compile(r"^\s*Surveys\s+·\s+Withdrawn\s*$")
    )
    expect(consents).to_contain_text("· By phone · recorded by")
    expect(consents.get_by_role("link", name=re.compile(r"^Withdraw"))).to_have_count(0)
    assert AuditEvent.objects.filter(action="privacy.consent.withdrawn", actor=coordinator_a)

    # Her three-month check-in comes: no questionnaire goes out.
    log_checkin(
        checkin=CheckInFactory(match=match, month=3),
        by=coordinator_a,
        method="call",
        with_peer=True,
        with_supporter=True,
        notes="",
    )
    assert Survey.objects.filter(match=match).count() == 1

    # Dana calls again: she would answer them after all. Her match says none goes to her.
    journey.open(match_page)
    expect(page.get_by_test_id("no-questionnaires")).to_have_text(
        "No questionnaires are sent: they have not agreed to them. "
        "Record their consent if they agree."
    )
    journey.go(
        consents.get_by_role("link", name="Record a consent: Surveys"), "the page to record it"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a consent: Surveys")
    expect(
        page.get_by_role("heading", name="The words to read to them, in English")
    ).to_be_visible()
    expect(page.locator("blockquote[lang=en]")).to_contain_text(
        "I asked them, and they agree to receive short questionnaires about how they are doing"
    )
    expect(page.get_by_test_id("what-happens")).to_contain_text(
        "Questionnaires are sent to them again from the next one due"
    )
    record = page.get_by_role("button", name="Record the consent")

    journey.go(record, "how she gave it is missing")
    expect(
        page.get_by_role(
            "link",
            name="How did the person give it?: Choose how the person gave their consent.",
        )
    ).to_be_visible()
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.WITHDRAWN

    page.get_by_role("radio", name="By phone with a coordinator").check()
    journey.go(record, "back on the match, consent recorded")
    expect(page).to_have_url(re.compile(rf"{re.escape(match_page)}$"))
    expect(page.get_by_text("Consent recorded: Surveys.")).to_be_visible()
    # Her history keeps the withdrawal; the consent she gave again stands beside it.
    expect(consents.get_by_role("heading", level=3)).to_have_text(
        [
            re.compile(r"^\s*Support\s+·\s+Given\s*$"),
            re.compile(r"^\s*Surveys\s+·\s+Withdrawn\s*$"),
            re.compile(r"^\s*Surveys\s+·\s+Given\s*$"),
        ]
    )
    expect(consents).to_contain_text("By phone with a coordinator · recorded by")
    expect(page.get_by_test_id("no-questionnaires")).to_have_count(0)
    expect(consents.get_by_role("link", name=re.compile(r"^Record a consent"))).to_have_count(0)
    assert AuditEvent.objects.filter(action="privacy.consent.given", actor=coordinator_a)

    # Pressed again from a page left open: it is already recorded, and nothing changes.
    page.go_back()
    journey.check("the page left open")
    journey.go(record, "already recorded")
    expect(page.get_by_text("This consent is already recorded.")).to_be_visible()
    assert consent_standing(support_request, Purpose.SURVEYS) == Standing.GIVEN

    # Her six-month check-in comes: its questionnaire goes out; the missed one does not.
    log_checkin(
        checkin=CheckInFactory(match=match, month=6),
        by=coordinator_a,
        method="call",
        with_peer=True,
        with_supporter=True,
        notes="",
    )
    assert list(
        Survey.objects.filter(match=match).order_by("pk").values_list("month", flat=True)
    ) == [
        0,
        6,
    ]
