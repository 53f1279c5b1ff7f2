"""The supporters app's periodic jobs, run item by item by alongside/periodic/."""

from django.utils.translation import gettext_lazy as _
from huey import crontab

from alongside.core.periodic import Job
from alongside.supporters import steps
from alongside.supporters.services import expiry, offboarding

pause_on_expiry = Job(
    name="pause_on_expiry",
    schedule=crontab(minute="15", hour="6"),
    every=_("daily at 06:15 UTC"),
    description=_("Pause supporters whose training or check has expired."),
    due=expiry.supporters_with_something_expired,
    handle=expiry.pause_on_expiry,
    handle_batch=expiry.pause_on_expiry_batch,
)

remind_before_expiry = Job(
    name="remind_before_expiry",
    schedule=crontab(minute="15", hour="6"),
    every=_("daily at 06:15 UTC"),
    description=_("Remind supporters and coordinators of trainings and checks about to expire."),
    due=expiry.supporters_with_something_expiring,
    handle=expiry.remind_before_expiry,
    handle_batch=expiry.remind_before_expiry_batch,
)

return_from_breaks_that_ended = Job(
    name="return_from_breaks_that_ended",
    schedule=crontab(minute="25", hour="6"),
    every=_("daily at 06:25 UTC"),
    description=_("Bring back supporters whose break ended, through the readiness gate."),
    due=offboarding.breaks_that_ended,
    handle=offboarding.return_from_break_that_ended,
    handle_batch=offboarding.return_from_breaks_that_ended_batch,
)

keep_steps_current = Job(
    name="keep_steps_current",
    schedule=crontab(minute="35", hour="6"),
    every=_("daily at 06:35 UTC"),
    description=_(
        "Move supporters on their way to the step they now wait at, when a training or check "
        "of theirs expired."
    ),
    due=steps.supporters_on_their_way,
    handle=steps.keep_step_current,
    handle_batch=steps.keep_steps_current,
)

JOBS = [pause_on_expiry, remind_before_expiry, return_from_breaks_that_ended, keep_steps_current]
