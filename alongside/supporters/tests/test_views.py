"""The supporter pages: the public application, the board, a supporter's page, the portal."""

import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alongside.accounts.factories import UserFactory
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.models import Match
from alongside.programs.models import Relationship, StepKind
from alongside.supporters.factories import ApplicationFactory, make_ready, not_ready_supporter
from alongside.supporters.models import (
    Application,
    ApplicationOutcome,
    CheckStatus,
    StepRecord,
    SupporterStatus,
)
from alongside.supporters.services import pipeline, wellbeing

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def ms_program(program_a):
    program_a.eligibility_rules = [
        {"kind": "minimum_age", "years": 18},
        {
            "kind": "self_assessment",
            "statement": "I am at a place in my own journey where I can support others.",
        },
    ]
    program_a.save()
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    return program_a


def answers(ms, **overrides) -> dict[str, object]:
    return {
        "first_name": "Alex",
        "last_name": "Doe",
        "email": "alex.applicant@example.org",
        "date_of_birth": "1985-06-01",
        "experience": str(ms.pk),
        "relationship": Relationship.SELF,
        "since_month": "5",
        "since_year": "2015",
        "self_assessment_0": "on",
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    } | overrides


def without_tokens(page: str) -> str:
    """The page without its CSRF token, which changes with every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def apply_url(program) -> str:
    return reverse("supporters:apply", args=[program.slug])


def test_the_application_form_asks_the_programs_self_assessment(client, ms_program):
    response = client.get(apply_url(ms_program))

    assert response.status_code == 200
    assert "I am at a place in my own journey where I can support others." in response.text


def test_an_eligible_applicant_is_thanked_and_joins_the_board(client, ms_program, ms):
    response = client.post(apply_url(ms_program), answers(ms), follow=True)

    assert "A coordinator will contact you" in response.text
    application = Application.objects.get()
    assert application.outcome == ApplicationOutcome.ELIGIBLE
    assert application.supporter.status == SupporterStatus.APPLIED


def test_a_coordinator_sees_an_admitted_applicants_full_name_on_their_page_not_on_their_account(
    client, ms_program, ms, coordinator_a
):
    client.post(apply_url(ms_program), answers(ms, last_name="Gagnon-Tremblay"))
    supporter = Application.objects.get().supporter
    client.force_login(coordinator_a)

    page = client.get(reverse("supporters:detail", args=[supporter.pk])).text

    assert "Alex Gagnon-Tremblay" in page
    assert supporter.user.last_name == ""


def test_an_ineligible_applicant_sees_why(client, ms_program, ms):
    response = client.post(apply_url(ms_program), answers(ms, self_assessment_0=""), follow=True)

    assert "we cannot take your application" in response.text
    assert "Supporters need to be able to say" in response.text
    assert Application.objects.get().outcome == ApplicationOutcome.NOT_ELIGIBLE


@pytest.mark.parametrize("eligible", [True, False], ids=["eligible", "not-eligible"])
def test_back_then_send_again_keeps_one_application_and_shows_the_first_thank_you(
    client, ms_program, ms, eligible
):
    sent = answers(ms) if eligible else answers(ms, self_assessment_0="")
    first = client.post(apply_url(ms_program), sent, follow=True)
    # Back: the page comes with a new token, the browser fills in what was typed.
    again = client.post(apply_url(ms_program), sent | {"submission_token": str(uuid.uuid4())})

    application = Application.objects.get()
    assert again.status_code == 302
    assert client.session["supporters.received_application"] == application.pk
    assert without_tokens(client.get(again.url).text) == without_tokens(first.text)


def test_missing_answers_are_shown_and_nothing_is_kept(client, ms_program, ms):
    response = client.post(apply_url(ms_program), answers(ms, date_of_birth="", email=""))

    assert response.status_code == 200
    assert "Please check these answers" in response.text
    assert not Application.objects.exists()


def test_a_bot_filling_the_hidden_field_is_thanked_and_nothing_kept(client, ms_program, ms):
    response = client.post(apply_url(ms_program), answers(ms, website="spam"))

    assert response.status_code == 302
    assert not Application.objects.exists()


@override_settings(PUBLIC_FORM_RATE_LIMIT=1)
def test_too_many_applications_from_one_address_are_paused(client, ms_program, ms):
    client.post(apply_url(ms_program), answers(ms))

    response = client.post(apply_url(ms_program), answers(ms, email="other@example.org"))

    assert response.status_code == 429
    assert Application.objects.count() == 1


def test_the_board_shows_each_applicant_under_their_step_with_a_count(
    client, coordinator_a, program_a
):
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:board"))

    assert response.status_code == 200
    assert "Screening call" in response.text
    assert waiting.display_name in response.text


def test_the_board_filters_by_step(client, coordinator_a, program_a):
    # A name nobody else on the page has (the signed-in coordinator's is random).
    waiting = not_ready_supporter(program=program_a, user=UserFactory(first_name="Quillon"))
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:board"), {"step": "interview"})

    assert waiting.display_name not in response.text


def test_the_board_advances_the_chosen_supporters(client, coordinator_a, program_a):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(reverse("supporters:board_advance"), {"supporter": [waiting.pk]})

    assert response.status_code == 302
    assert StepRecord.objects.get(supporter=waiting).step.kind == StepKind.SCREENING_CALL


def test_another_programs_coordinator_cannot_advance_our_supporters(
    client, coordinator_b, program_a
):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_b)

    client.post(reverse("supporters:board_advance"), {"supporter": [waiting.pk]})

    assert not StepRecord.objects.exists()


def test_moving_a_supporter_on_in_place_answers_the_board_alone(client, coordinator_a, program_a):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("supporters:board_advance"), {"supporter": [waiting.pk]}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="board"' in response.text
    assert waiting.display_name in response.text
    # The message goes to the page's live region, which htmx fills from the answer.
    assert 'hx-swap-oob="innerHTML:#messages"' in response.text
    assert "Moved 1 on to their next step." in response.text
    assert StepRecord.objects.get(supporter=waiting).step.kind == StepKind.SCREENING_CALL


def test_the_board_updated_in_place_keeps_its_step_filter(client, coordinator_a, program_a):
    waiting = not_ready_supporter(program=program_a, user=UserFactory(first_name="Quillon"))
    client.force_login(coordinator_a)
    board = client.get(reverse("supporters:board"), {"step": "screening call"})
    assert waiting.display_name in board.text

    response = client.post(
        reverse("supporters:board_advance"),
        {"supporter": [waiting.pk], "step": "screening call"},
        HTTP_HX_REQUEST="true",
    )

    # Moved on past the screening call, they leave the filtered board.
    assert waiting.display_name not in response.text
    assert "Moved 1 on to their next step." in response.text


def test_moving_nobody_on_in_place_says_so_in_the_live_region(client, coordinator_a, program_a):
    not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(reverse("supporters:board_advance"), {}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Choose at least one person to move on." in response.text
    assert not StepRecord.objects.exists()


def test_another_programs_coordinator_cannot_advance_our_supporters_in_place(
    client, coordinator_b, program_a
):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_b)

    response = client.post(
        reverse("supporters:board_advance"), {"supporter": [waiting.pk]}, HTTP_HX_REQUEST="true"
    )

    # As on the full page: our supporter is neither moved nor shown on their board.
    assert waiting.display_name not in response.text
    assert "Choose at least one person to move on." in response.text
    assert not StepRecord.objects.exists()


def test_a_supporters_page_says_what_is_missing_and_is_audited(client, coordinator_a, program_a):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:detail", args=[waiting.pk]))

    assert "Has no background check yet" in response.text
    assert AuditEvent.objects.filter(action="supporters.supporter.viewed").exists()


def test_recording_a_pending_check_on_the_page(client, coordinator_a, program_a):
    waiting = not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("supporters:record_check", args=[waiting.pk]),
        {
            "check-kind": "criminal_record",
            "check-status": CheckStatus.REQUESTED,
            "check-requested_on": timezone.localdate().isoformat(),
        },
    )

    assert response.status_code == 302
    assert waiting.background_checks.get().status == CheckStatus.REQUESTED


def test_the_supporter_page_offers_matching_with_a_waiting_request_at_the_same_address(
    client, coordinator_a, program_a, ms
):
    supporter = not_ready_supporter(program=program_a)
    request = SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:detail", args=[supporter.pk]))

    assert f'action="/supporters/{supporter.pk}/match/"' in response.text
    assert f"#{request.pk}" in response.text
    assert "Match with this request" in response.text


def test_matching_from_the_page_shows_the_readiness_reason(client, coordinator_a, program_a, ms):
    waiting = not_ready_supporter(program=program_a)
    request = SupportRequestFactory(program=program_a, experience=ms)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("matching:match_supporter", args=[waiting.pk]), {"match-request": request.pk}
    )

    assert response.status_code == 200
    assert "has no background check yet" in response.text
    assert not Match.objects.exists()


def test_a_coordinator_accepts_an_application_with_a_reason(client, coordinator_a, program_a):
    application = ApplicationFactory(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("supporters:application", args=[application.pk]),
        {"reason": "Knows the program well."},
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.outcome == ApplicationOutcome.OVERRIDDEN


def test_reading_an_application_is_audited(client, coordinator_a, program_a):
    application = ApplicationFactory(program=program_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:application", args=[application.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="supporters.application.viewed")
    assert (event.actor, event.target_id) == (coordinator_a, str(application.pk))
    assert event.program_id == program_a.pk


def test_the_portal_shows_a_supporter_what_they_still_need(client, program_a):
    supporter = make_ready(not_ready_supporter(program=program_a), on=dt.date(2020, 1, 1))
    client.force_login(supporter.user)

    response = client.get(reverse("my_page"))

    assert "My status" in response.text
    assert "Has not completed the Crisis response training (expired" in response.text


def test_the_board_shows_a_page_of_applicants_in_a_bounded_number_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries
):
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    for _ in range(30):
        not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(15):
        response = client.get(reverse("supporters:board"))

    assert response.status_code == 200
    assert response.context["board_page"].paginator.count == 30
    assert sum(len(column["rows"]) for column in response.context["columns"]) == 25
    assert "30 people on their way" in response.text
    second = client.get(reverse("supporters:board"), {"page": 2})
    assert sum(len(column["rows"]) for column in second.context["columns"]) == 5


def test_the_board_filtered_by_step_pages_those_at_that_step(client, coordinator_a, program_a):
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    for _ in range(27):
        not_ready_supporter(program=program_a)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:board"), {"step": "screening call", "page": 2})

    assert response.context["board_page"].paginator.count == 27
    assert [len(column["rows"]) for column in response.context["columns"]] == [2]


def test_the_board_filtered_by_step_reads_one_page_whatever_how_many_wait(
    client, coordinator_a, program_a
):
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    client.force_login(coordinator_a)
    counted = []
    for _ in range(2):
        for _ in range(30):
            not_ready_supporter(program=program_a)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("supporters:board"), {"step": "screening call"})
        counted.append(len(queries))

    # The stored step filters the rows, then only the page's readiness is asked.
    assert counted[0] == counted[1]


def test_a_supporter_sends_a_wellbeing_check_in_from_their_page(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("supporters:wellbeing", args=[supporter_a.pk]),
        {f"wellbeing-{supporter_a.pk}-score": "2", f"wellbeing-{supporter_a.pk}-note": "Tired."},
        follow=True,
    )

    assert "Thank you for telling us how you are." in response.text
    assert supporter_a.wellbeing_checkins.get().score == 2


def test_the_coordinator_sees_signs_of_strain_on_the_supporters_page(
    client, coordinator_a, supporter_a
):
    for score in (5, 3, 2):
        wellbeing.record_wellbeing(supporter=supporter_a, score=score, note="", by=supporter_a.user)
    client.force_login(coordinator_a)

    response = client.get(reverse("supporters:detail", args=[supporter_a.pk]))

    assert "Wellbeing scores are falling (5, 3, 2)" in response.text
