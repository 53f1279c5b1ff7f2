"""The matches app's periodic jobs, run item by item by alongside/periodic/."""

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.matches import alerts, hours

open_monthly_hours_reports = Job(
    name="open_monthly_hours_reports",
    schedule=crontab(minute="5"),
    every=_("hourly, at 5 past"),
    description=_("At each month's end in each program's zone, ask supporters for their hours."),
    due=hours.supporters_due_a_report,
    handle=hours.open_monthly_report,
    handle_batch=hours.open_monthly_reports,
)

remind_missing_hours_reports = Job(
    name="remind_missing_hours_reports",
    schedule=crontab(minute="35", hour="*/6"),
    every=_("every 6 hours, at 35 past"),
    description=_("Remind supporters whose monthly hours are unconfirmed (3 and 7 days after)."),
    due=hours.reports_to_remind,
    handle=hours.remind_missing_report,
    handle_batch=hours.remind_missing_reports,
)

check_no_contact = Job(
    name="check_no_contact",
    schedule=crontab(minute="20"),
    every=_("hourly, at 20 past"),
    description=_(
        "Nudge supporters of silent matches; put longer silences in the follow-up queue."
    ),
    due=alerts.silent_matches,
    handle=alerts.check_no_contact,
    handle_batch=alerts.check_no_contact_batch,
)

JOBS = [open_monthly_hours_reports, remind_missing_hours_reports, check_no_contact]
