"""Reading a program's outcome figures through the API: the outcomes page's figures, for
its staff, in the token's program only; the scope checked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from alongside.api.models import Scope
from alongside.api.tests.conftest import token_header
from alongside.matches.factories import MatchFactory
from alongside.outcomes.factories import SurveyFactory
from alongside.outcomes.models import Occasion
from alongside.outcomes.queries import program_figures

pytestmark = pytest.mark.django_db


def test_a_token_reads_its_programs_outcome_figures_as_the_page_shows_them(
    client, program_a, coordinator_a, match_a
):
    SurveyFactory(match=match_a, occasion=Occasion.START, score=Decimal(6))
    SurveyFactory(match=match_a, occasion=Occasion.CLOSURE, score=Decimal(4))
    SurveyFactory(match=MatchFactory(program=program_a), occasion=Occasion.START)
    headers = token_header(program_a, coordinator_a, Scope.READ_REPORTS)

    body = client.get(reverse("api:program_outcomes", args=[program_a.pk]), **headers).json()

    (figure,) = program_figures(program_a)
    (item,) = body["instruments"]
    assert (item["sent"], item["answered"], item["pairs"]) == (3, 2, 1)
    assert (item["mean_start"], item["mean_closure"], item["mean_change"]) == (6.0, 4.0, -2.0)
    assert item["response_rate"] == figure.response_rate == 67


def test_another_programs_figures_are_404_to_a_token(
    client, program_a, program_b, coordinator_of_both
):
    headers = token_header(program_b, coordinator_of_both, Scope.READ_REPORTS)

    response = client.get(reverse("api:program_outcomes", args=[program_a.pk]), **headers)

    assert response.status_code == 404


def test_figures_are_refused_to_a_token_without_the_scope(client, program_a, coordinator_a):
    headers = token_header(program_a, coordinator_a, Scope.READ_PROGRAMS)

    response = client.get(reverse("api:program_outcomes", args=[program_a.pk]), **headers)

    assert response.status_code == 403


@pytest.mark.parametrize("who", ["coordinator_b", "supporter_a", "peer_user"])
def test_people_not_on_the_programs_staff_get_no_figures(client, request, program_a, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))

    response = client.get(reverse("api:program_outcomes", args=[program_a.pk]))

    assert response.status_code == 404


def test_a_program_id_out_of_range_is_a_422(client, coordinator_a):
    client.force_login(coordinator_a)

    assert client.get("/api/v1/programs/0/outcomes").status_code == 422
