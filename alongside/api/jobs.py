"""The API's periodic job, run by alongside/periodic/: idempotency keys are kept a day."""

import datetime as dt

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.api.idempotency import forget_old_keys
from alongside.core.periodic import Job, whole_run


def forget_keys(_item: int, now: dt.datetime) -> int:
    return forget_old_keys(now)


forget_idempotency_keys = Job(
    name="forget_idempotency_keys",
    schedule=crontab(minute="25"),
    every=_("hourly, at 25 past"),
    description=_("Forget the API's idempotency keys kept for more than a day."),
    due=whole_run,
    handle=forget_keys,
)

JOBS = [forget_idempotency_keys]
