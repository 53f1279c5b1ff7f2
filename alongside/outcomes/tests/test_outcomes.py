"""Outcome instruments: scoring as data, links without accounts, change and figures."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from alongside.core.errors import DomainError
from alongside.matches.factories import CheckInFactory, MatchFactory
from alongside.matches.models import ClosureReason
from alongside.matches.services.checkins import log_checkin
from alongside.matches.services.closure import close_match
from alongside.matches.services.lifecycle import start_match
from alongside.notifications.models import OutboxMessage
from alongside.outcomes import queries, services
from alongside.outcomes.factories import ProgramInstrumentFactory, SurveyFactory, seeded_instrument
from alongside.outcomes.models import Instrument, Occasion, ProgramInstrument, Survey
from alongside.outcomes.scoring import InstrumentShape, score
from alongside.privacy.factories import give_consent


def loneliness_answers(value: int) -> dict[str, int]:
    return {"companionship": value, "left_out": value, "isolated": value}


def test_the_seeded_loneliness_scale_sums_three_items_from_3_to_9(db):
    instrument = seeded_instrument()

    assert instrument.score_range == (3, 9)
    assert score(instrument.item_list, instrument.rule, loneliness_answers(1)) == 3
    assert score(instrument.item_list, instrument.rule, loneliness_answers(3)) == 9


def test_reverse_scored_items_count_from_the_other_end():
    shape = InstrumentShape.model_validate(
        {
            "items": [
                {
                    "key": "a",
                    "text": "Item A",
                    "choices": [{"value": 1, "label": "x"}, {"value": 5, "label": "y"}],
                },
                {
                    "key": "b",
                    "text": "Item B",
                    "choices": [{"value": 1, "label": "x"}, {"value": 5, "label": "y"}],
                },
            ],
            "scoring": {"method": "sum", "reverse_items": ["b"], "higher_is_better": True},
        }
    )

    assert score(shape.items, shape.scoring, {"a": 5, "b": 5}) == 6


def test_an_instrument_whose_rules_name_an_unknown_item_is_refused_on_save(db):
    instrument = Instrument(
        slug="broken",
        name="Broken",
        measures="hope",
        items=[
            {
                "key": "a",
                "text": "Item A",
                "choices": [{"value": 1, "label": "x"}, {"value": 2, "label": "y"}],
            }
        ],
        scoring={"method": "sum", "reverse_items": ["zzz"], "higher_is_better": True},
    )

    with pytest.raises(ValidationError):
        instrument.full_clean()


def test_starting_a_match_sends_the_programs_start_instruments_by_link(
    program_a, request_a, supporter_a, coordinator_a
):
    ProgramInstrumentFactory(program=program_a)
    give_consent(request_a)

    match = start_match(support_request=request_a, supporter=supporter_a, started_by=coordinator_a)

    survey = Survey.objects.get(match=match)
    assert survey.occasion == Occasion.START
    assert len(survey.token) >= 40
    link = OutboxMessage.objects.get(idempotency_key__startswith="outcomes.survey.sent")
    assert survey.token in link.body
    assert link.to_address == request_a.peer.email


def test_sending_twice_for_the_same_occasion_sends_once(match_a, program_a):
    ProgramInstrumentFactory(program=program_a)
    give_consent(match_a.request)

    services.send_surveys(match=match_a, occasion=Occasion.START)
    services.send_surveys(match=match_a, occasion=Occasion.START)

    assert Survey.objects.count() == 1


def test_an_answer_is_scored_by_the_instruments_rules_and_taken_once(match_a):
    survey = SurveyFactory(match=match_a)

    answered = services.answer_survey(survey=survey, answers=loneliness_answers(2))

    assert answered.score == 6
    with pytest.raises(DomainError, match="already been answered"):
        services.answer_survey(survey=survey, answers=loneliness_answers(3))


def test_an_incomplete_or_out_of_range_answer_is_refused(match_a):
    survey = SurveyFactory(match=match_a)

    with pytest.raises(DomainError, match="every question"):
        services.answer_survey(survey=survey, answers={"companionship": 2})
    with pytest.raises(DomainError, match="every question"):
        services.answer_survey(survey=survey, answers=loneliness_answers(7))
    survey.refresh_from_db()
    assert not survey.is_answered


def test_the_change_from_start_to_closure_shows_on_the_match_and_in_the_program(match_a, program_a):
    start = SurveyFactory(match=match_a)
    closure = SurveyFactory(match=match_a, occasion=Occasion.CLOSURE)
    SurveyFactory(match=MatchFactory(program=program_a))  # sent, never answered
    services.answer_survey(survey=start, answers=loneliness_answers(3))
    services.answer_survey(survey=closure, answers=loneliness_answers(2))

    (change,) = queries.changes_for_match(match_a.pk)
    assert (change.start, change.closure, change.change) == (9, 6, -3)
    assert change.improved is True  # less lonely is better
    (figures,) = queries.program_figures(program_a)
    assert (figures.sent, figures.answered, figures.response_rate) == (3, 2, 67)
    assert figures.mean_change == Decimal("-3.00")
    assert figures.pairs == 1


def test_the_export_is_de_identified(match_a, program_a):
    services.answer_survey(survey=SurveyFactory(match=match_a), answers=loneliness_answers(2))

    rows = list(queries.export_rows(program_a))

    assert rows[0] == queries.EXPORT_HEADER
    assert rows[1][0] == queries.pseudonym(match_a.pk)
    assert str(match_a.pk) != rows[1][0]
    assert match_a.request.peer.first_name not in str(rows)
    assert rows[1][1:] == ("loneliness-3", "start", "0", rows[1][4], "yes", "6")


# ---- the pages -----------------------------------------------------------------------------


def test_a_person_answers_by_link_without_an_account(client, match_a):
    survey = SurveyFactory(match=match_a)
    page = reverse("outcomes:answer", args=[survey.token])

    assert client.get(page).status_code == 200
    response = client.post(page, loneliness_answers(1))

    assert response.status_code == 200
    assert "Thank you" in response.content.decode()
    survey.refresh_from_db()
    assert survey.score == 3


def test_a_second_answer_by_the_same_link_is_not_taken(client, match_a):
    survey = SurveyFactory(match=match_a)
    page = reverse("outcomes:answer", args=[survey.token])
    client.post(page, loneliness_answers(1))

    client.post(page, loneliness_answers(3))

    survey.refresh_from_db()
    assert survey.score == 3


def test_an_unknown_link_is_404(client, db):
    assert client.get(reverse("outcomes:answer", args=["not-a-token"])).status_code == 404


def test_a_missing_answer_is_shown_next_to_its_question(client, match_a):
    survey = SurveyFactory(match=match_a)

    response = client.post(reverse("outcomes:answer", args=[survey.token]), {"left_out": 1})

    assert response.status_code == 200
    assert "Please choose an answer." in response.content.decode()


def test_the_coordinator_sees_figures_and_downloads_the_csv(client, match_a, coordinator_a):
    services.answer_survey(survey=SurveyFactory(match=match_a), answers=loneliness_answers(2))
    client.force_login(coordinator_a)

    assert "Three-item loneliness scale" in client.get(reverse("outcomes:figures")).content.decode()
    response = client.get(reverse("outcomes:export", args=[match_a.program.slug]))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == list(queries.EXPORT_HEADER)
    assert len(rows) == 2


def test_closing_a_match_sends_the_closure_instruments(match_a, program_a, coordinator_a):
    ProgramInstrumentFactory(program=program_a)
    give_consent(match_a.request)

    close_match(
        match=match_a,
        closed_by=coordinator_a,
        reason=ClosureReason.COMPLETED,
        note="",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="",
    )

    assert Survey.objects.get(match=match_a).occasion == Occasion.CLOSURE


def test_a_milestone_check_in_sends_the_milestone_instruments_for_that_month(
    match_a, program_a, coordinator_a
):
    ProgramInstrumentFactory(program=program_a, at_milestones=True)
    give_consent(match_a.request)

    log_checkin(
        checkin=CheckInFactory(match=match_a, month=3),
        by=coordinator_a,
        method="call",
        with_peer=True,
        with_supporter=True,
        notes="",
    )

    survey = Survey.objects.get(match=match_a)
    assert (survey.occasion, survey.month) == (Occasion.MILESTONE, 3)


def test_a_coordinator_chooses_when_each_instrument_is_sent(client, program_a, coordinator_a):
    loneliness = seeded_instrument()
    wellbeing = seeded_instrument("wellbeing-short")
    ProgramInstrumentFactory(program=program_a, instrument=wellbeing)
    client.force_login(coordinator_a)
    page = reverse("outcomes:choose_instruments", args=[program_a.slug])

    response = client.post(page, {f"instrument_{loneliness.pk}": ["at_start", "at_closure"]})

    assert response.status_code == 302
    (chosen,) = ProgramInstrument.objects.filter(program=program_a)
    assert chosen.instrument == loneliness
    assert (chosen.at_start, chosen.at_milestones, chosen.at_closure) == (True, False, True)
