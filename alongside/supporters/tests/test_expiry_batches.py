"""The supporters' daily jobs, batched, pause, remind and bring back as one at a time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.models import Role
from alongside.matches.services.offboarding import offboard_supporter
from alongside.periodic.tests.both_ways import both_ways
from alongside.supporters import jobs
from alongside.supporters.factories import make_ready, not_ready_supporter
from alongside.supporters.models import (
    BackgroundCheck,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def trained(program_a, program_b, coordinator_a, coordinator_b):
    """Supporters in two programs, in two languages, made ready over six months of 2025."""
    user_with_role(Role.COORDINATOR, program_a, language="fr-ca")
    supporters = []
    for number in range(10):
        program = program_a if number % 3 else program_b
        user = UserFactory(language="fr-ca" if number % 2 else "en")
        day = dt.date(2025, 1 + number // 2, 1 + number)
        with time_machine.travel(dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)):
            supporters.append(make_ready(not_ready_supporter(program=program, user=user), on=day))
    return supporters


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 15), tzinfo=dt.UTC)


def test_pausing_a_batch_on_expiry_equals_one_supporter_at_a_time(trained):
    batched, one_by_one = both_ways(jobs.pause_on_expiry, morning(dt.date(2026, 3, 20)), Supporter)

    assert batched == one_by_one
    assert 0 < batched.summary.changed < len(trained)
    paused = [row for row in batched.rows["Supporter"] if row["status"] == "paused"]
    assert len(paused) == batched.summary.changed


def test_reminding_a_batch_before_expiry_equals_one_supporter_at_a_time(trained):
    batched, one_by_one = both_ways(
        jobs.remind_before_expiry, morning(dt.date(2026, 3, 20)), TrainingRecord, BackgroundCheck
    )

    assert batched == one_by_one
    assert batched.summary.changed > 0
    assert len(batched.rows["OutboxMessage"]) > batched.summary.changed
    reminded = [
        row
        for row in [*batched.rows["TrainingRecord"], *batched.rows["BackgroundCheck"]]
        if row["reminded_days_before"] is not None
    ]
    assert len(reminded) == batched.summary.changed


def test_bringing_back_a_batch_whose_breaks_ended_equals_one_supporter_at_a_time(
    trained, program_a, coordinator_a, coordinator_b
):
    today = timezone.localdate()
    stale = make_ready(
        not_ready_supporter(program=trained[1].program), on=today - dt.timedelta(400)
    )
    for number, supporter in enumerate([*trained, stale]):
        offboard_supporter(
            supporter=supporter,
            by=coordinator_a if supporter.program == program_a else coordinator_b,
            status=SupporterStatus.ON_BREAK,
            reason="A rest",
            away_until=today + dt.timedelta(days=1 + number % 3),
        )

    with time_machine.travel(timezone.now(), tick=False):
        batched, one_by_one = both_ways(
            jobs.return_from_breaks_that_ended, morning(today + dt.timedelta(days=3)), Supporter
        )

    assert batched == one_by_one
    statuses = {row["id"]: row["status"] for row in batched.rows["Supporter"]}
    assert batched.summary.changed == 8  # of 11, those away until tomorrow or the day after
    assert statuses[stale.pk] == SupporterStatus.PAUSED  # back, but not ready
