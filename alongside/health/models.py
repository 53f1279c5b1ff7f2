"""What /health/ready reads that a check cannot ask at once: when a worker last took a task."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The one row: the installation's last heartbeat, whichever worker ran it.
THE_HEARTBEAT = 1


class Heartbeat(models.Model):
    """When a worker last ran the heartbeat task the scheduler queues (one row)."""

    beat_at = models.DateTimeField(_("last beat"))

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"heartbeat at {self.beat_at:%Y-%m-%d %H:%M:%S}"
