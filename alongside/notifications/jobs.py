"""The notifications app's periodic job, run by alongside/periodic/."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job, whole_run
from alongside.notifications import services


def sweep(_item: int, _now: dt.datetime) -> int:
    """One sweep of the outbox: returns how many deliveries it queued."""
    return services.requeue_overdue_messages()


sweep_outbox = Job(
    name="sweep_outbox",
    schedule=crontab(minute="*"),
    every=_("every minute"),
    description=_("Re-send overdue outbox messages and recover ones stuck mid-send."),
    due=whole_run,
    handle=sweep,
)

JOBS = [sweep_outbox]
