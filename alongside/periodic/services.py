"""Every change an administrator makes to the periodic work."""

from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.audit import record_event
from alongside.periodic import tasks
from alongside.periodic.models import ItemFailure


@transaction.atomic
def retry_now(*, failure: ItemFailure, actor: User) -> None:
    """Try a failing item again at once, in the worker, whatever its back-off; audits the retry.

    Its back-off ends now too, so the job's next run takes it if the worker's try is lost.
    """
    ItemFailure.objects.filter(pk=failure.pk).update(retry_at=timezone.now())
    record_event(
        actor=actor,
        action="periodic.item.retried",
        target=failure,
        data={
            "job": failure.job,
            "item_model": failure.item_model,
            "item_pk": failure.item_pk,
            "failures": failure.failures,
        },
    )
    # The task backend hands it to the worker once this transaction commits.
    tasks.retry_item.enqueue(failure.job, failure.item_pk)
