"""The matching app's periodic jobs, run item by item by alongside/periodic/."""

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.matching import overdue, services

expire_overdue_proposals = Job(
    name="expire_overdue_proposals",
    schedule=crontab(minute="*/5"),
    every=_("every 5 minutes"),
    description=_("Proposals nobody answered in time expire; their requests wait again."),
    due=services.overdue_proposals,
    handle=services.expire_proposal,
    handle_batch=overdue.expire_proposals,
)

JOBS = [expire_overdue_proposals]
