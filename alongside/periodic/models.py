"""What administrators see of the periodic jobs: each job's last run, and the items failing."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """The last run of one periodic job (one row a job, updated each run).

    `tick` is the scheduled minute of the last run the scheduler started: every worker runs a
    scheduler, and the first to move `tick` forward runs the job for that minute (ADR 0010).
    """

    job = models.CharField(_("job"), max_length=100, unique=True)
    tick = models.DateTimeField(_("scheduled for"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    items_done = models.PositiveIntegerField(_("items done"), default=0)
    items_failed = models.PositiveIntegerField(_("items failed"), default=0)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}"


class ItemFailure(models.Model):
    """One item a job could not handle: backed off, skipped until `retry_at`, cleared on success.

    The error is its type and where it was raised, never the exception's text, which may
    hold a person's details.
    """

    job = models.CharField(_("job"), max_length=100)
    item_model = models.CharField(_("item's model"), max_length=100, blank=True)  # blank: the run
    item_pk = models.BigIntegerField(_("item's id"))
    failures = models.PositiveIntegerField(_("failures"), default=1)
    error_type = models.CharField(_("error"), max_length=200)
    error_message = models.CharField(_("where it was raised"), max_length=500, blank=True)
    first_failed_at = models.DateTimeField(_("first failed"))
    last_failed_at = models.DateTimeField(_("last failed"))
    retry_at = models.DateTimeField(_("next try"))

    class Meta:
        verbose_name = _("failing item")
        verbose_name_plural = _("failing items")
        constraints = [
            models.UniqueConstraint(fields=["job", "item_pk"], name="periodic_one_failure_an_item")
        ]
        indexes = [models.Index(fields=["job", "retry_at"], name="periodic_backoff_idx")]

    def __str__(self) -> str:
        return f"{self.job}: {self.item_model or 'run'} #{self.item_pk}"
