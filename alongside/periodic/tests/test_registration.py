"""Every app's declared jobs are huey periodic tasks on their schedules, and run through huey."""

import datetime as dt

from huey.contrib.djhuey import HUEY

from alongside.periodic import tasks  # what the consumer's autodiscovery imports
from alongside.periodic.models import JobRun
from alongside.periodic.registry import all_jobs

EXPECTED = {
    "sweep_outbox",
    "move_up_unacknowledged_escalations",
    "check_time_to_match",
    "open_monthly_hours_reports",
    "remind_missing_hours_reports",
    "check_no_contact",
    "expire_overdue_proposals",
    "pause_on_expiry",
    "remind_before_expiry",
    "return_from_breaks_that_ended",
    "keep_steps_current",
    "count_contact_days",
    "apply_retention",
    "forget_idempotency_keys",
}
A_DAY = [dt.datetime(2026, 3, 2, tzinfo=dt.UTC) + dt.timedelta(minutes=m) for m in range(1440)]


def test_each_app_declares_its_jobs_and_the_registry_finds_them_all():
    assert {job.name for job in all_jobs()} == EXPECTED
    assert set(tasks.PERIODIC_TASKS) == EXPECTED


def test_huey_runs_each_job_exactly_on_the_minutes_of_its_schedule():
    ours = {job.name: job for job in all_jobs()}
    for moment in A_DAY:
        due = {task.name for task in HUEY.read_periodic(moment) if task.name in ours}
        assert due == {name for name, job in ours.items() if job.schedule(moment)}, moment


def test_running_the_registered_huey_tasks_runs_the_jobs_and_records_each_run(db):
    at_six_fifteen = dt.datetime(2026, 3, 2, 6, 15, tzinfo=dt.UTC)

    due = [task for task in HUEY.read_periodic(at_six_fifteen) if task.name in EXPECTED]
    for task in due:
        HUEY.execute(task)

    assert {task.name for task in due} == {
        "sweep_outbox",
        "move_up_unacknowledged_escalations",
        "check_time_to_match",
        "expire_overdue_proposals",
        "pause_on_expiry",
        "remind_before_expiry",
    }
    runs = JobRun.objects.filter(finished_at__isnull=False)
    assert set(runs.values_list("job", flat=True)) == {task.name for task in due}
