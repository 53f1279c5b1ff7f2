"""Changes to accounts: each one audited."""

from axes.models import AccessAttempt
from django.db import models, transaction
from django.db.models import Sum

from alongside.accounts.models import User
from alongside.core.audit import record_event


@transaction.atomic
def lift_lockout(*, attempt: AccessAttempt, lifted_by: User) -> int:
    """Lets the e-mail of `attempt` sign in again from its address at once; audited.

    The event names the account when the e-mail has one, never the e-mail itself. Returns how
    many rows of failures went.
    """
    attempts = AccessAttempt.objects.filter(
        username=attempt.username, ip_address=attempt.ip_address
    )
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    account = User.objects.filter(email__iexact=attempt.username or "").first()
    target: models.Model = account if account is not None else attempt
    record_event(
        actor=lifted_by,
        action="accounts.lockout.lifted",
        target=target,
        data={"address": attempt.ip_address, "failures": failures},
    )
    # Not axes.utils.reset: it drops a filter whose value is None, which would lift more.
    lifted: int = attempts.delete()[0]
    return lifted
