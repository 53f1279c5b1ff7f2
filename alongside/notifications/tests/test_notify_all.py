"""notify_all(): many notices queued at once, each message as notify() would queue it alone."""

import datetime as dt
from itertools import chain
from unittest.mock import patch

import pytest

from alongside.accounts.factories import UserFactory
from alongside.notifications import services
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.notify import (
    CHANNEL,
    RECIPIENT,
    MessageKind,
    Notice,
    notify,
    notify_all,
)

pytestmark = pytest.mark.django_db

REMINDER = MessageKind(
    "tests.reminder.sent",
    subject="Hello %(recipient)s",
    body="Your report %(number)s is due on %(when)s in %(program)s.",
)
NOON_UTC = dt.datetime(2025, 6, 3, 12, 0, tzinfo=dt.UTC)


def notice(user, number: int, program) -> Notice:
    return Notice(
        kind=REMINDER,
        recipients=[user],
        context={"number": number, "when": NOON_UTC},
        idempotency_key=("tests.reminder", number, RECIPIENT, CHANNEL),
        channels=[Channel.EMAIL, Channel.IN_APP],
        program=program,
        link=f"/reports/{number}/",
    )


def shown(messages: list[OutboxMessage]) -> list[tuple[object, ...]]:
    return sorted(
        (
            message.kind,
            message.channel,
            message.to_address,
            message.subject,
            message.body,
            message.idempotency_key,
            message.program_id,
            message.recipient_id,
            message.link,
            message.urgent,
        )
        for message in messages
    )


def test_each_message_is_the_one_notify_would_queue_alone(program_a, program_b):
    people = [
        UserFactory(language="fr-ca", time_zone="America/Vancouver"),
        UserFactory(language="en", time_zone=""),
        UserFactory(language="en", time_zone="Europe/Paris"),
    ]
    notices = [
        notice(person, number, program)
        for number, person in enumerate(people)
        for program in (program_a, program_b)
        if number or program == program_a
    ]

    together = shown(notify_all(notices))
    OutboxMessage.objects.all().delete()
    alone = shown([message for each in notices for message in notify(**each.__dict__)])

    assert together == alone
    assert len(together) == 10
    bodies = {message[4] for message in together}
    assert any("05:00 PDT" in body for body in bodies)  # the Vancouverite's zone
    assert any("14:00 CEST" in body for body in bodies)


def test_a_rerun_queues_nothing_new_nor_writes_it_again(
    program_a, django_capture_on_commit_callbacks, django_assert_num_queries
):
    people = UserFactory.create_batch(3)
    first = notify_all([notice(person, number, program_a) for number, person in enumerate(people)])

    with (
        django_capture_on_commit_callbacks() as callbacks,
        django_assert_num_queries(2),  # the keys recorded, then their messages
        patch("alongside.notifications.notify.render") as render,
    ):
        again = notify_all(
            [notice(person, number, program_a) for number, person in enumerate(people)]
        )

    assert [message.pk for message in again] == [message.pk for message in first]
    render.assert_not_called()
    assert OutboxMessage.objects.count() == 6
    assert callbacks == []


def test_many_messages_are_queued_in_few_queries_and_delivered_a_batch_a_task(
    program_a, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    people = UserFactory.create_batch(60)

    with (
        patch.object(services.tasks, "deliver_messages") as task,
        patch.object(services, "DELIVERY_BATCH_SIZE", 50),
        django_assert_max_num_queries(8),
        django_capture_on_commit_callbacks(execute=True),
    ):
        messages = notify_all(
            [notice(person, number, program_a) for number, person in enumerate(people)]
        )

    assert len(messages) == 120
    batches = [call.args[0] for call in task.enqueue.call_args_list]
    assert [len(batch) for batch in batches] == [50, 50, 20]
    assert sorted(chain.from_iterable(batches)) == sorted(message.pk for message in messages)


def test_a_delivery_batch_goes_on_past_a_message_that_fails(program_a):
    messages = notify_all([notice(UserFactory(), number, program_a) for number in range(3)])
    sent: list[int] = []

    def deliver(*, message_id: int) -> None:
        if message_id == messages[0].pk:
            raise ConnectionError("the database went away")
        sent.append(message_id)

    with patch.object(services, "deliver_message", deliver):
        services.deliver_messages(message_ids=[message.pk for message in messages])

    assert sent == [message.pk for message in messages[1:]]
