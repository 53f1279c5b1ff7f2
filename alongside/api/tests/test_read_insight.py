"""Reading a program's insight figures through the API: the coordinators' dashboard's numbers
for the same program and period, in the token's program only; the scope and period checked."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import ContactLogFactory
from alongside.outcomes.factories import SurveyFactory
from alongside.outcomes.models import Occasion
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import SupporterStatus

pytestmark = pytest.mark.django_db


def insight(program_id: int) -> str:
    return reverse("api:program_insight", args=[program_id])


def as_number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def a_busy_program(program, match) -> None:
    for _number in range(3):
        SupportRequestFactory(
            program=program,
            received_at=dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC),
            due_at=dt.datetime(2026, 1, 7, 22, tzinfo=dt.UTC),
        )
    SupporterFactory(
        program=program, status=SupporterStatus.WITHDRAWN, status_changed_at=timezone.now()
    )
    ContactLogFactory(match=match)
    SurveyFactory(match=match, occasion=Occasion.START, score=Decimal(6))
    SurveyFactory(match=match, occasion=Occasion.CLOSURE, score=Decimal(4))


def test_a_token_reads_the_numbers_the_dashboard_shows_for_the_same_period(
    client: Client, program_a, coordinator_a, match_a
) -> None:
    a_busy_program(program_a, match_a)
    headers = token_header(program_a, coordinator_a, Scope.READ_REPORTS)
    body = client.get(insight(program_a.pk), {"period": "last_12_months"}, **headers).json()
    client.force_login(coordinator_a)

    page = client.get(
        reverse("reports:dashboard"), {"program": program_a.pk, "period": "last_12_months"}
    ).context

    assert body["program_id"] == program_a.pk
    assert body["period"] == "last_12_months"
    assert body["start"] == page["period"].start.isoformat()
    assert body["waiting"]["overdue"] == page["waiting"].overdue == 3
    assert body["time_to_match"]["received"] == page["time_to_match"].received
    assert body["time_to_match"]["matched"] == page["time_to_match"].matched
    assert [month["contacts"] for month in body["months"]] == [
        month.contacts for month in page["by_month"].months
    ]
    assert body["pipeline"]["applied"] == page["pipeline"].applied
    assert body["standing"]["withdrew"] == page["standing"].withdrew == 1
    assert body["strain"]["open_debriefs"] == page["strain"].open_debriefs
    assert body["escalations"]["raised"] == page["escalations"].raised
    (change,) = page["changes"]
    (outcome,) = body["outcomes"]
    assert (outcome["sent"], outcome["answered"], outcome["pairs"]) == (
        change.sent,
        change.answered,
        change.pairs,
    )
    assert outcome["sent"] == 2
    assert outcome["mean_start"] == as_number(change.mean_start)
    assert outcome["mean_closure"] == as_number(change.mean_closure)


def test_the_period_is_this_quarter_unless_asked(client: Client, program_a, coordinator_a) -> None:
    headers = token_header(program_a, coordinator_a, Scope.READ_REPORTS)

    body = client.get(insight(program_a.pk), **headers).json()

    assert body["period"] == "this_quarter"


def test_another_programs_insight_is_404_to_a_token(
    client: Client, program_a, program_b, coordinator_of_both
) -> None:
    headers = token_header(program_b, coordinator_of_both, Scope.READ_REPORTS)

    response = client.get(insight(program_a.pk), **headers)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_insight_is_refused_to_a_token_without_the_scope(
    client: Client, program_a, coordinator_a
) -> None:
    headers = token_header(program_a, coordinator_a, Scope.READ_PROGRAMS)

    response = client.get(insight(program_a.pk), **headers)

    assert response.status_code == 403


def test_an_unknown_period_is_a_422_problem(client: Client, program_a, coordinator_a) -> None:
    headers = token_header(program_a, coordinator_a, Scope.READ_REPORTS)

    response = client.get(insight(program_a.pk), {"period": "forever"}, **headers)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a", "peer_user"])
def test_people_not_on_the_programs_staff_get_no_insight(
    client: Client, request, program_a, who
) -> None:
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    response = client.get(insight(program_a.pk))

    assert response.status_code == 404
