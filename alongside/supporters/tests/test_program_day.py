"""A supporter's days are their program's: at 01:00 UTC it is still the evening before in
Toronto, and the pipeline, breaks and expiries count Toronto's day, not the server's.

Each test runs on the server's clock (UTC active, as the worker runs), at 01:00 UTC on Friday
16 January 2026: 20:00 on Thursday 15 January in Toronto, program A's zone.
"""

import datetime as dt
from collections.abc import Iterator

import pytest
import time_machine
from django.utils import timezone

from alongside.core.errors import DomainError
from alongside.matches.services.offboarding import offboard_supporter
from alongside.periodic.runner import run_job
from alongside.programs.models import TrainingModule
from alongside.supporters import jobs
from alongside.supporters.factories import SupporterFactory
from alongside.supporters.models import (
    SupervisionFormat,
    Supporter,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.queries import readiness
from alongside.supporters.services.pipeline import record_training
from alongside.supporters.services.profile import update_profile
from alongside.supporters.services.supervision import record_supervision

pytestmark = pytest.mark.django_db

ONE_IN_THE_MORNING_UTC = dt.datetime(2026, 1, 16, 1, 0, tzinfo=dt.UTC)
TORONTO_TODAY = dt.date(2026, 1, 15)
UTC_TODAY = dt.date(2026, 1, 16)


@pytest.fixture(autouse=True)
def evening_in_toronto() -> Iterator[None]:
    with time_machine.travel(ONE_IN_THE_MORNING_UTC, tick=False), timezone.override(dt.UTC):
        yield


@pytest.fixture
def crisis_training(program_a) -> TrainingModule:
    return TrainingModule.objects.create(
        program=program_a, name="Crisis response", validity_months=12, is_required=True
    )


def trained_until(supporter: Supporter, module: TrainingModule, last_day: dt.date) -> None:
    TrainingRecord.objects.create(
        supporter=supporter,
        module=module,
        completed_on=last_day.replace(year=last_day.year - 1),
        expires_on=last_day,
        recorded_at=timezone.now(),
    )


def test_the_program_counts_its_own_day():
    assert timezone.localdate() == UTC_TODAY  # the server's day: not the one to count on


def test_a_training_that_runs_out_today_in_toronto_still_counts(supporter_a, crisis_training):
    trained_until(supporter_a, crisis_training, TORONTO_TODAY)

    assert readiness(supporter_a).is_ready


def test_a_supporter_whose_training_runs_out_today_is_not_paused_tonight(
    supporter_a, crisis_training
):
    trained_until(supporter_a, crisis_training, TORONTO_TODAY)

    run_job(jobs.pause_on_expiry)

    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.ACTIVE


def test_a_supporter_whose_training_ran_out_yesterday_is_paused(supporter_a, crisis_training):
    trained_until(supporter_a, crisis_training, TORONTO_TODAY - dt.timedelta(days=1))

    run_job(jobs.pause_on_expiry)

    supporter_a.refresh_from_db()
    assert supporter_a.status == SupporterStatus.PAUSED


def test_a_break_that_ends_today_in_toronto_is_not_over_yet(supporter_a, coordinator_a):
    on_break = SupporterFactory(
        program=supporter_a.program, status=SupporterStatus.ON_BREAK, away_until=TORONTO_TODAY
    )
    ended = SupporterFactory(
        program=supporter_a.program,
        status=SupporterStatus.ON_BREAK,
        away_until=TORONTO_TODAY - dt.timedelta(days=1),
    )

    run_job(jobs.return_from_breaks_that_ended)

    on_break.refresh_from_db()
    ended.refresh_from_db()
    assert on_break.status == SupporterStatus.ON_BREAK
    assert ended.status == SupporterStatus.ACTIVE


def test_a_break_may_end_on_the_servers_tomorrow_which_is_after_torontos_today(
    supporter_a, coordinator_a
):
    offboard_supporter(
        supporter=supporter_a,
        by=coordinator_a,
        status=SupporterStatus.ON_BREAK,
        reason="Resting",
        away_until=UTC_TODAY,
    )

    supporter_a.refresh_from_db()
    assert supporter_a.away_until == UTC_TODAY


def test_a_supporter_may_set_a_break_ending_today_in_toronto(supporter_a):
    update_profile(
        supporter=supporter_a, by=supporter_a.user, changes={"away_until": TORONTO_TODAY}
    )

    supporter_a.refresh_from_db()
    assert supporter_a.away_until == TORONTO_TODAY


def test_a_training_completed_on_the_servers_day_is_still_in_the_future(
    supporter_a, coordinator_a, crisis_training
):
    with pytest.raises(DomainError, match="cannot be completed in the future"):
        record_training(
            supporter=supporter_a, module=crisis_training, completed_on=UTC_TODAY, by=coordinator_a
        )

    record_training(
        supporter=supporter_a, module=crisis_training, completed_on=TORONTO_TODAY, by=coordinator_a
    )


def test_a_supervision_session_on_the_servers_day_has_not_happened_yet(supporter_a, coordinator_a):
    def record(day: dt.date) -> None:
        record_supervision(
            supporter=supporter_a,
            supervisor=coordinator_a,
            held_on=day,
            minutes=45,
            format=SupervisionFormat.ONE_TO_ONE,
        )

    with pytest.raises(DomainError, match="cannot be in the future"):
        record(UTC_TODAY)
    record(TORONTO_TODAY)
