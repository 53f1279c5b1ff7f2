"""Reminders before expiry: each training or check reminded once, again only once renewed; and
the pause reading only what ran out and was not renewed."""

import datetime as dt

import pytest
import time_machine

from alongside.notifications.models import OutboxMessage
from alongside.periodic.runner import run_job
from alongside.supporters import jobs
from alongside.supporters.factories import make_ready, not_ready_supporter
from alongside.supporters.models import (
    BackgroundCheck,
    CheckKind,
    CheckStatus,
    SupporterStatus,
    TrainingRecord,
)
from alongside.supporters.services import pipeline
from alongside.supporters.services.expiry import (
    supporters_with_something_expired,
    supporters_with_something_expiring,
)

pytestmark = pytest.mark.django_db


def morning(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(6, 15), tzinfo=dt.UTC)


def remind(day: dt.date) -> int:
    """The daily job on the morning of `day`: how many reminders it queued."""
    return run_job(jobs.remind_before_expiry, now=morning(day)).changed


@pytest.fixture
def trained(program_a, coordinator_a):
    """A ready supporter whose Crisis response training (12 months) was done on 1 March 2025:
    it expires on 1 March 2026, and the program reminds 30 days before."""
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        supporter = make_ready(not_ready_supporter(program=program_a), on=dt.date(2025, 3, 1))
    return supporter


def crisis_record(supporter) -> TrainingRecord:
    return supporter.training_records.filter(module__name="Crisis response").latest("pk")


def test_a_training_reminded_is_not_read_nor_reminded_again_the_next_day(trained, coordinator_a):
    assert remind(dt.date(2026, 2, 10)) == 1

    assert crisis_record(trained).reminded_days_before == 30
    assert not supporters_with_something_expiring(morning(dt.date(2026, 2, 11))).exists()
    assert remind(dt.date(2026, 2, 11)) == 0
    assert OutboxMessage.objects.filter(recipient=trained.user).count() == 1
    assert OutboxMessage.objects.filter(recipient=coordinator_a).count() == 1


def test_a_renewed_training_is_reminded_again_before_its_new_expiry(trained, coordinator_a):
    remind(dt.date(2026, 2, 10))
    crisis = trained.program.training_modules.get(name="Crisis response")
    with time_machine.travel(dt.datetime(2026, 2, 15, 12, tzinfo=dt.UTC), tick=False):
        pipeline.record_training(
            supporter=trained, module=crisis, completed_on=dt.date(2026, 2, 15), by=coordinator_a
        )

    assert remind(dt.date(2026, 2, 20)) == 0  # the old record still runs out soon, renewed
    assert remind(dt.date(2027, 1, 10)) == 0  # 36 days before the new expiry
    assert remind(dt.date(2027, 1, 20)) == 1
    assert remind(dt.date(2027, 1, 21)) == 0

    reminders = OutboxMessage.objects.filter(recipient=trained.user).order_by("pk")
    assert reminders.count() == 2
    assert "2027" in reminders.last().body
    assert crisis_record(trained).expires_on == dt.date(2027, 2, 15)
    assert crisis_record(trained).reminded_days_before == 30


def test_a_training_and_a_check_are_each_reminded_once_as_each_comes_due(trained):
    BackgroundCheck.objects.filter(supporter=trained).update(expires_on=dt.date(2026, 3, 20))

    assert remind(dt.date(2026, 2, 10)) == 1  # the training (1 March); the check is 38 days off
    assert remind(dt.date(2026, 2, 18)) == 1  # the check, 30 days before 20 March
    assert remind(dt.date(2026, 2, 19)) == 0

    assert OutboxMessage.objects.filter(recipient=trained.user).count() == 2
    check = BackgroundCheck.objects.get(supporter=trained)
    assert check.reminded_days_before == crisis_record(trained).reminded_days_before == 30


def test_a_lead_changed_after_a_reminder_reminds_once_more_as_before(trained, program_a):
    """The reminder's key names the lead, so a new lead has always meant one more reminder."""
    remind(dt.date(2026, 2, 10))
    program_a.expiry_reminder_days = 20
    program_a.save(update_fields=["expiry_reminder_days"])

    assert remind(dt.date(2026, 2, 11)) == 1
    assert remind(dt.date(2026, 2, 12)) == 0
    assert crisis_record(trained).reminded_days_before == 20
    assert OutboxMessage.objects.filter(recipient=trained.user).count() == 2


def test_no_reminder_once_something_has_expired(trained):
    BackgroundCheck.objects.filter(supporter=trained).update(expires_on=dt.date(2026, 2, 1))

    assert remind(dt.date(2026, 2, 10)) == 0  # paused instead, by pause_on_expiry
    assert crisis_record(trained).reminded_days_before is None


def test_a_training_renewed_before_it_ran_out_is_not_read_for_a_pause(trained, coordinator_a):
    crisis = trained.program.training_modules.get(name="Crisis response")
    with time_machine.travel(dt.datetime(2026, 2, 15, 12, tzinfo=dt.UTC), tick=False):
        pipeline.record_training(
            supporter=trained, module=crisis, completed_on=dt.date(2026, 2, 15), by=coordinator_a
        )
    after = morning(dt.date(2026, 3, 5))  # the first record ran out on 1 March

    assert not supporters_with_something_expired(after).exists()
    assert run_job(jobs.pause_on_expiry, now=after).changed == 0
    trained.refresh_from_db()
    assert trained.status == SupporterStatus.ACTIVE


def test_a_check_is_read_for_a_pause_while_it_is_the_latest(trained, coordinator_a):
    BackgroundCheck.objects.filter(supporter=trained).update(expires_on=dt.date(2026, 1, 1))
    after = morning(dt.date(2026, 1, 5))
    assert list(supporters_with_something_expired(after)) == [trained]

    with time_machine.travel(dt.datetime(2026, 1, 3, 12, tzinfo=dt.UTC), tick=False):
        pipeline.record_background_check(
            supporter=trained,
            kind=CheckKind.CRIMINAL_RECORD,
            status=CheckStatus.REQUESTED,
            requested_on=dt.date(2026, 1, 3),
            by=coordinator_a,
        )

    trained.refresh_from_db()
    assert trained.status == SupporterStatus.ACTIVE
    assert not supporters_with_something_expired(after).exists()  # as the pause reads it
