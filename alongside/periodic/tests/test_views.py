"""The administrators' page of background jobs: failing items, and retrying one now."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.periodic.models import ItemFailure, JobRun
from alongside.safety.models import SlaAlert


@pytest.fixture
def failing_request(program_a, coordinator_a):
    """A request past due whose time-to-match alert failed twice, backed off for an hour."""
    support_request = SupportRequestFactory(
        program=program_a, received_at=timezone.now() - dt.timedelta(days=10)
    )
    return ItemFailure.objects.create(
        job="check_time_to_match",
        item_model="intake.supportrequest",
        item_pk=support_request.pk,
        failures=2,
        error_type="RuntimeError",
        error_message="alongside/safety/services.py, line 400, in _tell_about_sla",
        first_failed_at=timezone.now() - dt.timedelta(minutes=10),
        last_failed_at=timezone.now() - dt.timedelta(minutes=4),
        retry_at=timezone.now() + dt.timedelta(hours=1),
    )


def test_an_administrator_sees_each_job_its_last_run_and_its_failing_items(
    client, administrator, failing_request
):
    JobRun.objects.create(
        job="check_time_to_match",
        started_at=timezone.now(),
        finished_at=timezone.now(),
        items_done=7,
        items_failed=1,
    )
    client.force_login(administrator)

    response = client.get(reverse("periodic:jobs"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "move_up_unacknowledged_escalations" in page
    assert "7 done, 1 failed" in page
    assert "intake.supportrequest</code> #" + str(failing_request.item_pk) in page
    assert "RuntimeError" in page
    assert "1 item is failing." in page
    # In the administrator's own zone (their program's, America/Toronto, as the test's clock).
    assert timezone.localtime(failing_request.retry_at).isoformat()[:16] in page
    assert reverse("periodic:retry_now", args=[failing_request.pk]) in page


def test_the_page_is_linked_from_the_administrators_menu_only(client, administrator, coordinator_a):
    client.force_login(administrator)
    assert reverse("periodic:jobs") in client.get(reverse("intake:queue")).content.decode()

    client.force_login(coordinator_a)
    assert reverse("periodic:jobs") not in client.get(reverse("intake:queue")).content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "supporter_a", "peer_user"])
def test_nobody_but_an_administrator_sees_the_page_or_retries(
    client, request, persona, failing_request
):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("periodic:jobs")).status_code == 403
    response = client.post(reverse("periodic:retry_now", args=[failing_request.pk]))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="periodic.item.retried").exists()


def test_retry_now_runs_the_item_at_once_audited_and_a_success_clears_it(
    client, administrator, failing_request, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("periodic:retry_now", args=[failing_request.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("periodic:jobs")
    event = AuditEvent.objects.get(action="periodic.item.retried")
    assert event.actor == administrator
    assert event.data["job"] == "check_time_to_match"
    assert event.data["item_pk"] == failing_request.item_pk
    assert SlaAlert.objects.filter(support_request_id=failing_request.item_pk).count() == 2
    assert not ItemFailure.objects.exists()


def test_retrying_an_item_that_is_no_longer_failing_is_a_404(client, administrator, db):
    client.force_login(administrator)

    assert client.post(reverse("periodic:retry_now", args=[999])).status_code == 404
