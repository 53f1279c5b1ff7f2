"""The one registry of periodic jobs.

Every job that runs on a clock is declared here, and only here, so the schedule can be read in
one place. To add one: write the work as a service in its own app, then register a small
function below with `@db_periodic_task(crontab(...))` that calls it. The huey consumer loads
this module through notifications/tasks.py (djhuey autodiscovers each app's `tasks` module).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.notifications import services


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def sweep_outbox() -> None:
    """Re-send overdue outbox messages and recover ones stuck mid-send."""
    services.requeue_overdue_messages()
