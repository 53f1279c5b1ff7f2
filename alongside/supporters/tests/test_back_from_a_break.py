"""Back from a break: through the readiness gate, by hand or the day after it ends."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.matches.services.offboarding import offboard_supporter
from alongside.notifications.models import OutboxMessage
from alongside.periodic.runner import run_job
from alongside.supporters import jobs
from alongside.supporters.factories import make_ready, not_ready_supporter
from alongside.supporters.models import PauseReason, Supporter, SupporterStatus
from alongside.supporters.services.offboarding import return_from_break
from alongside.supporters.services.pipeline import record_training

pytestmark = pytest.mark.django_db


def in_a_month() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def morning_of(day: dt.date) -> dt.datetime:
    """When the worker brings back the supporters whose break has ended."""
    return dt.datetime.combine(day, dt.time(6, 25), tzinfo=dt.UTC)


# ---- back from a break ----------------------------------------------------------------------


def on_a_break(supporter: Supporter, coordinator) -> Supporter:
    return offboard_supporter(
        supporter=supporter,
        by=coordinator,
        status=SupporterStatus.ON_BREAK,
        reason="A rest",
        away_until=in_a_month(),
    )


def test_a_ready_supporter_comes_back_active(supporter_a, coordinator_a):
    on_a_break(supporter_a, coordinator_a)

    back = return_from_break(supporter=supporter_a, by=coordinator_a)

    assert (back.status, back.away_until, back.status_reason) == (SupporterStatus.ACTIVE, None, "")
    assert AuditEvent.objects.filter(action="supporters.supporter.returned").exists()


def test_a_supporter_whose_training_expired_on_the_break_comes_back_paused_until_renewed(
    program_a, coordinator_a
):
    supporter = make_ready(
        not_ready_supporter(program=program_a), on=timezone.localdate() - dt.timedelta(days=400)
    )
    on_a_break(supporter, coordinator_a)

    back = return_from_break(supporter=supporter, by=coordinator_a)

    assert (back.status, back.pause_reason) == (SupporterStatus.PAUSED, PauseReason.NOT_READY)
    crisis = program_a.training_modules.get(name="Crisis response")
    record_training(
        supporter=back, module=crisis, completed_on=timezone.localdate(), by=coordinator_a
    )
    back.refresh_from_db()
    assert back.status == SupporterStatus.ACTIVE


def test_only_a_supporter_on_a_break_comes_back(supporter_a, coordinator_a):
    with pytest.raises(DomainError, match="Sam is not on a break"):
        return_from_break(supporter=supporter_a, by=coordinator_a)


def test_the_day_after_a_break_ends_the_supporter_is_back_and_the_coordinator_told(
    supporter_a, coordinator_a
):
    on_a_break(supporter_a, coordinator_a)
    last_day = in_a_month()

    assert run_job(jobs.return_from_breaks_that_ended, now=morning_of(last_day)).changed == 0
    assert (
        run_job(
            jobs.return_from_breaks_that_ended, now=morning_of(last_day + dt.timedelta(days=1))
        ).changed
        == 1
    )
    assert (
        run_job(
            jobs.return_from_breaks_that_ended, now=morning_of(last_day + dt.timedelta(days=1))
        ).changed
        == 0
    )

    supporter_a.refresh_from_db()
    assert (supporter_a.status, supporter_a.away_until) == (SupporterStatus.ACTIVE, None)
    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert told.subject == "Sam is back from their break"


# ---- the page ---------------------------------------------------------------------------------


def test_the_coordinator_brings_a_supporter_back_from_the_supporter_page(
    client, coordinator_a, supporter_a
):
    on_a_break(supporter_a, coordinator_a)
    client.force_login(coordinator_a)

    page = client.get(reverse("supporters:detail", args=[supporter_a.pk]))
    response = client.post(
        reverse("supporters:return_from_break", args=[supporter_a.pk]), follow=True
    )

    assert "Back from the break" in page.text
    assert "Welcome back: Sam is active again." in response.text
