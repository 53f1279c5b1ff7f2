"""Background tasks: each takes ids and calls one service."""

from django.tasks import task

from alongside.notifications import services


@task
def deliver_message(message_id: int) -> None:
    services.deliver_message(message_id=message_id)


@task
def deliver_messages(message_ids: list[int]) -> None:
    services.deliver_messages(message_ids=message_ids)


@task
def requeue_overdue_messages() -> None:
    services.requeue_overdue_messages()
