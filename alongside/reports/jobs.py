"""The reports' periodic job, run item by item by alongside/periodic/."""

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.reports import contact_days

count_contact_days = Job(
    name="count_contact_days",
    schedule=crontab(minute="*/10"),
    every=_("every 10 minutes"),
    description=_(
        "Count each program's contacts by day where they are not counted (a new program, a "
        "changed time zone, a contact changed or deleted), so the dashboard need not read them."
    ),
    due=contact_days.uncounted_programs,
    handle=contact_days.count_program_contacts,
)

JOBS = [count_contact_days]
