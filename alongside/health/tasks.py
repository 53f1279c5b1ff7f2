"""The workers' heartbeat: the proof, for /health/ready, that tasks are queued and run.

The scheduler queues `heartbeat` every minute (and at once when it starts). It beats, and queues
three more beats 15, 30 and 45 seconds on, so that while workers take tasks the heartbeat is
never much more than 15 seconds old. A heartbeat older than a minute (HEALTH_HEARTBEAT_SECONDS)
means that no worker runs, that no scheduler queues, or that tasks wait in the queue longer
than a minute: each is worth someone's attention.
"""

import datetime as dt
from typing import Any

from django.tasks import task
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from alongside.health import services

BEATS_A_MINUTE = 4


@task
def beat() -> None:
    services.record_heartbeat(at=timezone.now())


def beat_for_a_minute() -> None:
    now = timezone.now()
    services.record_heartbeat(at=now)
    for number in range(1, BEATS_A_MINUTE):
        later = now + dt.timedelta(seconds=60 * number / BEATS_A_MINUTE)
        beat.using(run_after=later).enqueue()


heartbeat: Any = db_periodic_task(crontab(minute="*"), name="worker_heartbeat")(beat_for_a_minute)
