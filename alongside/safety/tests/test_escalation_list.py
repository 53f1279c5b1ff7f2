"""The escalations as a list: open ones unless another status is chosen, filters and sorts,
scoped to the coordinator's programs whatever the parameters, in a bounded number of queries."""

import pytest
from django.http import QueryDict
from django.urls import reverse

from alongside.safety.lists import ESCALATION_LIST
from alongside.safety.models import Escalation, EscalationStatus, Urgency

ESCALATIONS = reverse("safety:escalation_list")


def escalation(program, *, status=EscalationStatus.RAISED, urgency=Urgency.URGENT):
    return Escalation.objects.create(
        program=program, urgency=urgency, status=status, what_happened="They feel unsafe."
    )


def rows(user, **params) -> list:
    query = QueryDict(mutable=True)
    query.update(params)
    return list(ESCALATION_LIST.rows(user, query))


def test_the_list_shows_open_escalations_unless_another_status_is_chosen(coordinator_a, program_a):
    waiting = escalation(program_a)
    acknowledged = escalation(program_a, status=EscalationStatus.ACKNOWLEDGED)
    resolved = escalation(program_a, status=EscalationStatus.RESOLVED)

    assert rows(coordinator_a) == [acknowledged, waiting]
    assert rows(coordinator_a, status="resolved") == [resolved]
    assert rows(coordinator_a, status="all") == [resolved, acknowledged, waiting]


def test_the_list_filters_by_urgency_and_sorts_waiting_ones_first(coordinator_a, program_a):
    acknowledged = escalation(program_a, status=EscalationStatus.ACKNOWLEDGED)
    beyond_role = escalation(program_a, urgency=Urgency.BEYOND_ROLE)

    assert rows(coordinator_a, urgency="beyond_role") == [beyond_role]
    assert rows(coordinator_a, sort="status") == [beyond_role, acknowledged]


def test_another_programs_id_in_the_filter_shows_only_ones_own_escalations(
    coordinator_a, program_a, program_b
):
    mine = escalation(program_a)
    escalation(program_b)

    assert rows(coordinator_a, program=str(program_b.pk)) == [mine]
    assert rows(coordinator_a, status="all", sort="program") == [mine]


def test_a_supporter_cannot_open_the_list_and_a_coordinator_reads_it(
    client, coordinator_a, supporter_a, program_a
):
    shown = escalation(program_a)
    client.force_login(supporter_a.user)
    assert client.get(ESCALATIONS).status_code == 403

    client.force_login(coordinator_a)
    page = client.get(ESCALATIONS).content.decode()
    assert f"#{shown.pk}" in page
    assert "They feel unsafe." not in page


@pytest.mark.parametrize(
    "params",
    [{}, {"sort": "status"}, {"sort": "-urgency"}, {"status": "all", "sort": "raised"}],
)
def test_every_sort_and_filter_of_the_escalations_takes_a_handful_of_queries(
    client, coordinator_a, program_a, django_assert_max_num_queries, params
):
    for _ in range(12):
        escalation(program_a)
    client.force_login(coordinator_a)

    with django_assert_max_num_queries(10):
        response = client.get(ESCALATIONS, params | {"program": program_a.pk})

    assert response.status_code == 200
    assert len(response.context["escalations"]) == 12
