"""The safety app's periodic jobs, run item by item by alongside/periodic/."""

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.safety import queries
from alongside.safety.services import on_call, time_to_match

move_up_unacknowledged_escalations = Job(
    name="move_up_unacknowledged_escalations",
    schedule=crontab(minute="*"),
    every=_("every minute"),
    description=_("Offer urgent escalations nobody acknowledged in time to the next on the rota."),
    due=queries.escalations_to_move_up,
    handle=on_call.move_up_escalation,
    batch_size=on_call.MOVE_UP_BATCH_SIZE,
)

check_time_to_match = Job(
    name="check_time_to_match",
    schedule=crontab(minute="*/5"),
    every=_("every 5 minutes"),
    description=_("Alert coordinators of requests nearly due for a match; record those past due."),
    due=queries.requests_reaching_time_to_match,
    handle=time_to_match.check_time_to_match,
    handle_batch=time_to_match.check_time_to_match_batch,
)

JOBS = [move_up_unacknowledged_escalations, check_time_to_match]
