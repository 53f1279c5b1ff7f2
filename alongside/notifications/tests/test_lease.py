"""A claimed message holds a short lease, renewed while it is sent, taken back once it runs out."""

import datetime as dt
import threading
from collections.abc import Iterator

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from alongside.notifications import services
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.tests.email_backends import StallingEmailBackend, use_email_backend

LEASE = dt.timedelta(seconds=60)
STALLING_EMAIL = "alongside.notifications.tests.email_backends.StallingEmailBackend"


def email_row(key: str = "safety.escalation:3:0:9:email") -> OutboxMessage:
    """A message as queue_message records it, without delivering it on commit."""
    return OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address="on.call@example.org",
        subject="Urgent: escalation #3 needs you now",
        body="Please acknowledge it.",
        idempotency_key=key,
    )


def claimed(message: OutboxMessage) -> OutboxMessage:
    taken = services.claim_message(message_id=message.pk)
    assert taken is not None
    return taken


@pytest.fixture
def frozen_clock(time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)


@pytest.fixture
def stalling_email(settings) -> Iterator[type[StallingEmailBackend]]:
    use_email_backend(settings, STALLING_EMAIL)
    StallingEmailBackend.reset()
    yield StallingEmailBackend
    StallingEmailBackend.release.set()


@pytest.mark.django_db
def test_a_claimed_message_holds_a_lease_of_a_minute_and_cannot_be_claimed_again(frozen_clock):
    message = email_row()

    taken = claimed(message)

    assert taken.status == MessageStatus.SENDING
    assert taken.attempts == 1
    assert taken.claimed_at == timezone.now()
    assert taken.lease_expires_at == timezone.now() + LEASE
    assert services.claim_message(message_id=message.pk) is None


@pytest.mark.django_db
def test_the_lease_length_is_a_setting(settings, frozen_clock):
    settings.OUTBOX_LEASE_SECONDS = 1.5

    taken = claimed(email_row())

    assert taken.lease_expires_at == timezone.now() + dt.timedelta(seconds=1.5)


@pytest.mark.django_db
def test_renewing_the_lease_pushes_it_back_while_the_message_is_still_ours(time_machine):
    time_machine.move_to(timezone.now(), tick=False)
    taken = claimed(email_row())

    time_machine.shift(dt.timedelta(seconds=50))
    assert services.renew_lease(message=taken)
    time_machine.shift(dt.timedelta(seconds=50))  # past the first lease, within the renewed one
    assert services.requeue_overdue_messages() == 0

    taken.refresh_from_db()
    assert taken.status == MessageStatus.SENDING
    assert taken.lease_expires_at == timezone.now() - dt.timedelta(seconds=50) + LEASE


@pytest.mark.django_db
def test_a_worker_cannot_renew_a_lease_the_sweep_took_back_or_another_worker_holds(
    time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    taken_by_dead_worker = claimed(email_row())

    time_machine.shift(LEASE + dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=False):
        assert services.requeue_overdue_messages() == 1
    taken_back = OutboxMessage.objects.get(pk=taken_by_dead_worker.pk)
    assert taken_back.status == MessageStatus.FAILED
    assert taken_back.next_attempt_at == timezone.now()  # due again at once
    assert taken_back.last_error == services.STUCK_SENDING_ERROR
    assert not services.renew_lease(message=taken_by_dead_worker)

    time_machine.shift(dt.timedelta(seconds=1))
    taken_by_another_worker = claimed(taken_back)
    assert taken_by_another_worker.attempts == 2
    assert not services.renew_lease(message=taken_by_dead_worker)
    assert services.renew_lease(message=taken_by_another_worker)


@pytest.mark.django_db
def test_a_message_whose_worker_died_after_claiming_it_goes_out_within_two_minutes(
    time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    message = email_row()
    died_at = timezone.now()
    claimed(message)  # ...and the worker is killed before it sends

    # The sweep runs once a minute, at whatever second the crash fell; try the worst case.
    time_machine.shift(LEASE - dt.timedelta(seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 0
    time_machine.shift(dt.timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 1

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    assert message.sent_at - died_at <= dt.timedelta(minutes=2)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_send_slower_than_the_lease_keeps_renewing_it_and_is_not_taken_over(
    settings, stalling_email
):
    settings.OUTBOX_LEASE_SECONDS = 0.3
    message = email_row()

    def deliver() -> None:
        try:
            services.deliver_message(message_id=message.pk)
        finally:
            connections.close_all()

    sender = threading.Thread(target=deliver)
    sender.start()
    try:
        assert stalling_email.started.wait(timeout=10)
        leases = set()
        for _check in range(12):  # 1.2 s: four times the lease
            stalling_email.release.wait(timeout=0.1)
            assert services.requeue_overdue_messages() == 0
            being_sent = OutboxMessage.objects.get(pk=message.pk)
            assert being_sent.status == MessageStatus.SENDING
            leases.add(being_sent.lease_expires_at)
    finally:
        stalling_email.release.set()
        sender.join(timeout=10)

    message.refresh_from_db()
    assert len(leases) >= 3  # renewed every third of the lease
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert message.lease_expires_at is None
    assert stalling_email.sent == ["Please acknowledge it."]
