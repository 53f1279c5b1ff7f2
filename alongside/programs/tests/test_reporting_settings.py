"""A program's funder-report settings: the smallest count shown, and the demographics counted."""

import pytest
from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def reporting_page(program):
    return reverse("programs:edit_reporting", args=[program.pk])


def test_a_new_program_hides_counts_below_five_and_reports_no_demographics():
    program = ProgramFactory()

    assert program.report_minimum_count == 5
    assert program.reported_demographics == []


def test_a_coordinator_sets_the_smallest_count_and_the_demographics(
    client, coordinator_a, program_a
):
    client.force_login(coordinator_a)

    response = client.post(
        reporting_page(program_a),
        {"report_minimum_count": "10", "reported_demographics": ["gender", "site"]},
    )

    assert response.status_code == 302
    program_a.refresh_from_db()
    assert program_a.report_minimum_count == 10
    assert program_a.reported_demographics == ["gender", "site"]
    event = AuditEvent.objects.get(action="programs.program.changed", program_id=program_a.pk)
    assert "report_minimum_count" in str(event.data)


@pytest.mark.parametrize("minimum", ["0", "-3", "", "many"])
def test_a_smallest_count_below_one_or_not_a_number_is_refused(
    client, coordinator_a, program_a, minimum
):
    client.force_login(coordinator_a)

    response = client.post(reporting_page(program_a), {"report_minimum_count": minimum})

    assert response.status_code == 200
    assert response.context["form"].errors["report_minimum_count"]
    program_a.refresh_from_db()
    assert program_a.report_minimum_count == 5


def test_a_demographic_that_is_not_offered_is_refused(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    response = client.post(
        reporting_page(program_a),
        {"report_minimum_count": "5", "reported_demographics": ["income"]},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reported_demographics"]


def test_the_settings_page_says_what_the_reports_hide(client, coordinator_a, program_a):
    client.force_login(coordinator_a)

    page = client.get(reverse("programs:settings", args=[program_a.pk])).content.decode()

    assert "Counts below 5 are shown as “fewer than 5”." in page
    assert reporting_page(program_a) in page


def test_a_coordinator_of_another_program_cannot_change_its_report_settings(
    client, coordinator_b, program_a
):
    client.force_login(coordinator_b)

    response = client.post(reporting_page(program_a), {"report_minimum_count": "1"})

    assert response.status_code == 404
    program_a.refresh_from_db()
    assert program_a.report_minimum_count == 5
