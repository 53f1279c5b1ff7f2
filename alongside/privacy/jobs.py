"""Privacy's periodic job, run item by item by alongside/periodic/: each program its own item."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.privacy import retention
from alongside.programs.models import Program


def every_program(_now: dt.datetime) -> QuerySet[Program]:
    return Program.objects.order_by("pk")


def apply_program_retention(program_pk: int, now: dt.datetime) -> int:
    """One program's pass, on the program's own day; each of its items in its own transaction
    inside (one that fails is logged and left for the next day). How many items went."""
    program = Program.objects.get(pk=program_pk)
    today = now.astimezone(ZoneInfo(program.time_zone)).date()
    return retention.apply(program, today).total


apply_retention = Job(
    name="apply_retention",
    schedule=crontab(minute="40", hour="3"),
    every=_("daily, at 3:40 UTC"),
    description=_(
        "De-identify or delete what each program keeps past its retention, except what a legal "
        "hold keeps."
    ),
    due=every_program,
    handle=apply_program_retention,
)

JOBS = [apply_retention]
