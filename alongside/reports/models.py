"""What the reports keep of their own: counts of the domain apps' rows, so that a figure over a
year need not read every row (docs/adr/0009). They are a cache of the rows, never a source: a
figure reads a program's counts only while they are complete, else the rows themselves
(reports/contact_days.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.programs.models import Program


class ContactDay(models.Model):
    """The contacts made (not attempts) on one of a program's days, and their minutes.

    Days are the program's, in `time_zone` of its row with no day: that row says the program's
    days are all counted, in that zone. Its zone is blank while they are not (never counted, or
    a contact was changed or deleted since): the figures then count the contacts themselves
    until the periodic job has counted the program afresh.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)
    contacts = models.PositiveIntegerField(default=0)
    minutes = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contacts of a day")
        verbose_name_plural = _("contacts by day")
        constraints = [
            models.UniqueConstraint(fields=["program", "day"], name="contact_day_once"),
            models.UniqueConstraint(
                fields=["program"], condition=Q(day__isnull=True), name="contact_days_counted_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} {self.day or self.time_zone}"
