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


@db_periodic_task(crontab(minute="15", hour="6"))  # type: ignore[untyped-decorator]
def remind_and_pause_on_expiry() -> None:
    """Remind of trainings and checks about to expire; pause supporters whose have expired."""
    from alongside.supporters.services.expiry import remind_and_pause_on_expiry as run

    run()


@db_periodic_task(crontab(minute="*"))  # type: ignore[untyped-decorator]
def move_up_unacknowledged_escalations() -> None:
    """Offer urgent escalations nobody acknowledged in time to the next person on the rota."""
    from alongside.safety.services import move_up_unacknowledged_escalations as run

    run()


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def check_time_to_match() -> None:
    """Alert coordinators of requests nearly due for a match; record those past due."""
    from alongside.safety.services import check_time_to_match as run

    run()


@db_periodic_task(crontab(minute="5"))  # type: ignore[untyped-decorator]
def open_monthly_hours_reports() -> None:
    """At each month's end in each program's zone, ask supporters to confirm their hours."""
    from alongside.matches.hours import open_monthly_reports

    open_monthly_reports()


@db_periodic_task(crontab(minute="35", hour="*/6"))  # type: ignore[untyped-decorator]
def remind_missing_hours_reports() -> None:
    """Remind supporters whose monthly hours are still unconfirmed (3 and 7 days after)."""
    from alongside.matches.hours import remind_missing_reports

    remind_missing_reports()


@db_periodic_task(crontab(minute="20"))  # type: ignore[untyped-decorator]
def check_no_contact() -> None:
    """Nudge supporters of silent matches; put longer silences in the coordinator's queue."""
    from alongside.matches.alerts import check_no_contact as run

    run()


@db_periodic_task(crontab(minute="*/5"))  # type: ignore[untyped-decorator]
def expire_overdue_proposals() -> None:
    """Proposals nobody answered in time expire; their requests wait for a supporter again."""
    from alongside.matching.services import expire_overdue_proposals as run

    run()


@db_periodic_task(crontab(minute="25", hour="6"))  # type: ignore[untyped-decorator]
def return_from_breaks_that_ended() -> None:
    """Bring back supporters whose break ended, through the readiness gate."""
    from alongside.supporters.services.offboarding import return_from_breaks_that_ended as run

    run()
