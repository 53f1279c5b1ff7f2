"""The worker's heartbeat: a machine's clock, not a person's action, so it writes no audit event."""

import datetime as dt

from alongside.health.models import THE_HEARTBEAT, Heartbeat


def record_heartbeat(*, at: dt.datetime) -> None:
    """Set the heartbeat to `at`: one UPDATE, or the row's first INSERT."""
    if not Heartbeat.objects.filter(pk=THE_HEARTBEAT).update(beat_at=at):
        Heartbeat.objects.update_or_create(pk=THE_HEARTBEAT, defaults={"beat_at": at})


def last_heartbeat() -> dt.datetime | None:
    return Heartbeat.objects.filter(pk=THE_HEARTBEAT).values_list("beat_at", flat=True).first()
