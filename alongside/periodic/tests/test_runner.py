"""The one runner of periodic work: each item on its own, a failure recorded and backed off."""

import datetime as dt
from collections.abc import Sequence
from unittest.mock import patch

import pytest
from django.utils import timezone
from huey import crontab

from alongside.core.audit import record_event
from alongside.core.models import AuditEvent
from alongside.core.periodic import Job, whole_run
from alongside.periodic.models import ItemFailure, JobRun
from alongside.periodic.runner import FIRST_BACKOFF, MAX_BACKOFF, backoff, run_item, run_job
from alongside.programs.models import Program

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)


class Handler:
    """Writes an audit event for each program, then raises for the ones marked broken."""

    def __init__(self) -> None:
        self.broken: set[int] = set()
        self.seen: list[int] = []

    def __call__(self, program_id: int, now: dt.datetime) -> int:
        self.seen.append(program_id)
        record_event(actor=None, action="test.job.touched", target=Program(pk=program_id))
        if program_id in self.broken:
            raise ValueError(f"Cannot reach Alex Example at alex@example.org about {program_id}")
        return 1


@pytest.fixture
def handler() -> Handler:
    return Handler()


@pytest.fixture
def job(handler: Handler) -> Job:
    return Job(
        name="touch_programs",
        schedule=crontab(minute="*"),
        every="every minute",
        description="Touch every program.",
        due=lambda now: Program.objects.order_by("pk"),
        handle=handler,
    )


def touched() -> set[int]:
    events = AuditEvent.objects.filter(action="test.job.touched")
    return {int(target_id) for target_id in events.values_list("target_id", flat=True)}


def test_a_failing_item_rolls_back_only_its_own_writes_and_the_others_go_on(
    job, handler, program_a, program_b
):
    handler.broken = {program_a.pk}

    summary = run_job(job, now=NOW)

    assert (summary.done, summary.failed, summary.changed) == (1, 1, 1)
    assert handler.seen == [program_a.pk, program_b.pk]
    assert touched() == {program_b.pk}


def test_a_failure_is_recorded_with_its_type_and_where_never_the_errors_text(
    job, handler, program_a, program_b
):
    handler.broken = {program_a.pk}

    run_job(job, now=NOW)

    failure = ItemFailure.objects.get()
    assert (failure.job, failure.item_model, failure.item_pk) == (
        "touch_programs",
        "programs.program",
        program_a.pk,
    )
    assert failure.failures == 1
    assert failure.error_type == "ValueError"
    assert "alongside/periodic/tests/test_runner.py" in failure.error_message
    assert "Alex" not in failure.error_message
    assert "example.org" not in failure.error_message
    assert failure.first_failed_at == failure.last_failed_at == NOW
    assert failure.retry_at == NOW + FIRST_BACKOFF


def test_a_failed_item_is_skipped_until_its_back_off_passes_then_backed_off_twice_as_long(
    job, handler, program_a, program_b
):
    handler.broken = {program_a.pk}
    run_job(job, now=NOW)
    handler.seen.clear()

    run_job(job, now=NOW + FIRST_BACKOFF - dt.timedelta(seconds=1))
    assert handler.seen == [program_b.pk]

    run_job(job, now=NOW + FIRST_BACKOFF)
    failure = ItemFailure.objects.get()
    assert failure.failures == 2
    assert failure.first_failed_at == NOW
    assert failure.last_failed_at == NOW + FIRST_BACKOFF
    assert failure.retry_at == NOW + FIRST_BACKOFF + 2 * FIRST_BACKOFF


def test_a_success_clears_the_items_failure(job, handler, program_a, program_b):
    handler.broken = {program_a.pk}
    run_job(job, now=NOW)
    handler.broken = set()

    summary = run_job(job, now=NOW + FIRST_BACKOFF)

    assert (summary.done, summary.failed) == (2, 0)
    assert not ItemFailure.objects.exists()
    assert touched() == {program_a.pk, program_b.pk}


def test_a_failed_item_that_is_no_longer_due_is_forgotten_once_its_back_off_passes(
    job, handler, program_a, program_b
):
    handler.broken = {program_a.pk}
    run_job(job, now=NOW)
    program_a.delete()

    run_job(job, now=NOW + FIRST_BACKOFF)

    assert not ItemFailure.objects.exists()


def test_the_back_off_doubles_up_to_a_cap():
    assert [backoff(count) for count in (1, 2, 3)] == [
        FIRST_BACKOFF,
        2 * FIRST_BACKOFF,
        4 * FIRST_BACKOFF,
    ]
    assert backoff(30) == backoff(1000) == MAX_BACKOFF


def test_each_run_is_recorded_with_its_start_end_and_counts(job, handler, program_a, program_b):
    handler.broken = {program_b.pk}

    run_job(job, now=NOW)

    run = JobRun.objects.get(job="touch_programs")
    assert run.started_at <= run.finished_at <= timezone.now()
    assert (run.items_done, run.items_failed) == (1, 1)


def test_a_batch_takes_the_first_items_not_backed_off(job, handler, program_a, program_b):
    batched = Job(**{**job.__dict__, "batch_size": 1})
    handler.broken = {program_a.pk}
    run_job(batched, now=NOW)

    run_job(batched, now=NOW + dt.timedelta(minutes=1))

    assert handler.seen == [program_a.pk, program_b.pk]


def test_a_job_that_is_one_step_each_run_is_backed_off_as_one_item(db):
    calls = []

    def sweep(item: int, now: dt.datetime) -> int:
        calls.append(item)
        raise ConnectionError("the mail server is down")

    job = Job(
        name="sweep_everything",
        schedule=crontab(minute="*"),
        every="every minute",
        description="Sweep.",
        due=whole_run,
        handle=sweep,
    )

    run_job(job, now=NOW)
    run_job(job, now=NOW + dt.timedelta(minutes=1))

    assert calls == [0]
    failure = ItemFailure.objects.get()
    assert (failure.item_model, failure.item_pk, failure.error_type) == ("", 0, "ConnectionError")


def test_running_one_item_now_ignores_its_back_off_and_clears_it_on_success(
    job, handler, program_a, program_b
):
    handler.broken = {program_a.pk}
    run_job(job, now=NOW)
    handler.broken = set()

    assert run_item(job, program_a.pk, now=NOW + dt.timedelta(seconds=1)) == 1

    assert not ItemFailure.objects.exists()


class BatchHandler:
    """Touches a batch of programs at once; raises for the whole batch if one is broken."""

    def __init__(self, handler: Handler) -> None:
        self.handler = handler
        self.batches: list[list[int]] = []

    def __call__(self, program_ids: Sequence[int], now: dt.datetime) -> int:
        self.batches.append(list(program_ids))
        for program_id in program_ids:
            record_event(actor=None, action="test.job.touched", target=Program(pk=program_id))
        if self.handler.broken.intersection(program_ids):
            raise ValueError("One of them is broken")
        return len(program_ids)


@pytest.fixture
def programs(db) -> list[Program]:
    return Program.objects.bulk_create(
        Program(name=f"Program {number}", slug=f"program-{number}") for number in range(100)
    )


def batch_job(job: Job, batch_handler: BatchHandler) -> Job:
    return Job(**{**job.__dict__, "handle_batch": batch_handler})


def test_a_batch_handler_does_the_due_items_a_batch_at_a_time(job, handler, programs):
    batch_handler = BatchHandler(handler)

    with patch("alongside.periodic.runner.BATCH_SIZE", 40):
        summary = run_job(batch_job(job, batch_handler), now=NOW)

    assert (summary.done, summary.failed, summary.changed) == (100, 0, 100)
    assert [len(batch) for batch in batch_handler.batches] == [40, 40, 20]
    assert handler.seen == []
    assert touched() == {program.pk for program in programs}


def test_one_bad_item_in_a_batch_of_100_leaves_99_done_and_1_recorded(job, handler, programs):
    bad = programs[37].pk
    handler.broken = {bad}
    batch_handler = BatchHandler(handler)

    summary = run_job(batch_job(job, batch_handler), now=NOW)

    assert (summary.done, summary.failed, summary.changed) == (99, 1, 99)
    assert len(batch_handler.batches) == 1
    assert handler.seen == [program.pk for program in programs]  # one by one, after the batch
    assert touched() == {program.pk for program in programs} - {bad}
    assert AuditEvent.objects.filter(action="test.job.touched").count() == 99  # batch rolled back
    failure = ItemFailure.objects.get()
    assert (failure.item_pk, failure.retry_at) == (bad, NOW + FIRST_BACKOFF)
    run = JobRun.objects.get(job="touch_programs")
    assert (run.items_done, run.items_failed) == (99, 1)


def test_a_batch_that_succeeds_clears_its_items_failures_and_skips_the_backed_off(
    job, handler, programs
):
    bad = programs[5].pk
    handler.broken = {bad}
    batch_handler = BatchHandler(handler)
    run_job(batch_job(job, batch_handler), now=NOW)

    run_job(batch_job(job, batch_handler), now=NOW + dt.timedelta(seconds=1))
    assert bad not in batch_handler.batches[-1]  # backed off

    handler.broken = set()
    summary = run_job(batch_job(job, batch_handler), now=NOW + FIRST_BACKOFF)
    assert bad in batch_handler.batches[-1]
    assert (summary.done, summary.failed) == (100, 0)
    assert not ItemFailure.objects.exists()


def test_a_run_without_batches_handles_each_item_on_its_own(job, handler, programs):
    batch_handler = BatchHandler(handler)

    summary = run_job(batch_job(job, batch_handler), now=NOW, batched=False)

    assert (summary.done, summary.changed) == (100, 100)
    assert batch_handler.batches == []
    assert handler.seen == [program.pk for program in programs]


def test_a_run_takes_no_new_batch_once_its_time_is_spent_and_says_more_are_due(
    job, handler, programs, settings
):
    settings.PERIODIC_RUN_SECONDS = 0
    batch_handler = BatchHandler(handler)

    with patch("alongside.periodic.runner.BATCH_SIZE", 40):
        first = run_job(batch_job(job, batch_handler), now=NOW)
        second = run_job(batch_job(job, batch_handler), now=NOW)

    assert (first.done, first.more) == (40, True)
    assert batch_handler.batches[0] == [program.pk for program in programs[:40]]
    assert (second.done, second.more) == (40, True)
    run = JobRun.objects.get(job="touch_programs")
    assert (run.items_done, run.finished_at is not None) == (40, True)


def test_a_job_without_batches_looks_at_the_clock_between_its_items(
    job, handler, programs, settings
):
    settings.PERIODIC_RUN_SECONDS = 0

    with patch("alongside.periodic.runner.ITEMS_BETWEEN_CHECKS", 30):
        summary = run_job(job, now=NOW)

    assert (summary.done, summary.more) == (30, True)
    assert handler.seen == [program.pk for program in programs[:30]]


def test_a_run_with_time_to_spare_does_every_due_item(job, handler, programs, settings):
    settings.PERIODIC_RUN_SECONDS = 60

    with patch("alongside.periodic.runner.BATCH_SIZE", 40):
        summary = run_job(batch_job(job, BatchHandler(handler)), now=NOW)

    assert (summary.done, summary.more) == (100, False)
