import datetime as dt

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications import queries, services
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.tests.email_backends import use_email_backend

BROKEN_EMAIL = "alongside.notifications.tests.email_backends.BrokenEmailBackend"
WORKING_EMAIL = "django.core.mail.backends.locmem.EmailBackend"
ADDRESS = "sam.peer@example.org"


def queue_email(key: str = "intro:1:email") -> OutboxMessage:
    return services.queue_message(
        channel=Channel.EMAIL,
        to_address=ADDRESS,
        subject="Meet your peer supporter",
        body="Alex will call you this week.",
        idempotency_key=key,
    )


def later(**delta: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(**delta)


@pytest.fixture
def admin_user(db: None) -> User:
    return User.objects.create_user(email="admin@example.org", password="a long password 1")


@pytest.fixture
def peer(db: None) -> User:
    return User.objects.create_user(email="peer@example.org", password="a long password 2")


@pytest.mark.django_db
def test_a_message_queued_in_a_committed_transaction_is_delivered_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = queue_email()
        assert mail.outbox == []  # nothing leaves before the commit

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.sent_at is not None
    assert message.attempts == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [ADDRESS]
    assert mail.outbox[0].subject == "Meet your peer supporter"


@pytest.mark.django_db
def test_a_rolled_back_transaction_leaves_no_message_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    def queue_then_fail() -> None:
        with transaction.atomic():
            queue_email()
            raise RuntimeError("the event that caused the message failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        queue_then_fail()

    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_queueing_twice_with_the_same_key_keeps_one_message_and_sends_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        first = queue_email(key="intro:7:email")
        second = queue_email(key="intro:7:email")

    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_failed_email_is_retried_by_the_sweep_once_the_server_recovers(
    settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    use_email_backend(settings, BROKEN_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email()

    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.next_attempt_at > timezone.now()
    assert message.last_error == "SMTPServerDisconnected"
    assert ADDRESS not in message.last_error

    use_email_backend(settings, WORKING_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 0  # not due yet
    assert mail.outbox == []

    time_machine.move_to(later(minutes=2), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 0

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert message.last_error == ""
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_retries_wait_longer_each_time_but_never_more_than_an_hour():
    assert dt.timedelta(seconds=30) <= services.retry_delay(1) <= dt.timedelta(seconds=33)
    assert dt.timedelta(seconds=60) <= services.retry_delay(2) <= dt.timedelta(seconds=66)
    assert dt.timedelta(hours=1) <= services.retry_delay(30) <= dt.timedelta(hours=1.1)


@pytest.mark.django_db
def test_a_message_that_keeps_failing_is_given_up_after_its_attempts_and_audited(
    settings, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now(), tick=False)
    use_email_backend(settings, BROKEN_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email()
        OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=3)

    for _attempt in range(4):
        time_machine.move_to(later(hours=2), tick=False)
        with django_capture_on_commit_callbacks(execute=True):
            services.requeue_overdue_messages()

    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    assert message.attempts == 3
    assert mail.outbox == []
    event = AuditEvent.objects.get(action="notifications.message.dead")
    assert event.target_id == str(message.pk)
    assert event.data == {"attempts": 3, "last_error": "SMTPServerDisconnected"}
    assert list(queries.failed_messages()) == [message]


@pytest.mark.django_db
def test_the_sweep_takes_back_only_messages_whose_lease_ran_out_and_sends_them_at_once(
    django_capture_on_commit_callbacks,
):
    abandoned = OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address=ADDRESS,
        body="Its worker died",
        idempotency_key="abandoned",
        status=MessageStatus.SENDING,
        attempts=1,
        claimed_at=later(minutes=-2),
        lease_expires_at=later(seconds=-1),
    )
    slow = OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address=ADDRESS,
        body="Still being sent, slowly",
        idempotency_key="slow",
        status=MessageStatus.SENDING,
        attempts=1,
        claimed_at=later(minutes=-15),
        lease_expires_at=later(seconds=40),
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_overdue_messages() == 1

    abandoned.refresh_from_db()
    slow.refresh_from_db()
    assert abandoned.status == MessageStatus.SENT
    assert abandoned.attempts == 2
    assert abandoned.lease_expires_at is None
    assert slow.status == MessageStatus.SENDING
    assert [email.body for email in mail.outbox] == ["Its worker died"]


@pytest.mark.django_db
def test_delivering_the_same_message_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_email()

    services.deliver_message(message_id=message.pk)
    services.deliver_message(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_message_claimed_by_another_worker_is_not_sent_again(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        message = queue_email()
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.SENDING, claimed_at=timezone.now(), lease_expires_at=later(minutes=1)
    )

    services.deliver_message(message_id=message.pk)

    assert mail.outbox == []


@pytest.mark.django_db
def test_an_administrator_can_send_a_dead_message_again(
    admin_user, settings, django_capture_on_commit_callbacks
):
    use_email_backend(settings, BROKEN_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email()
        OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=1)
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD

    use_email_backend(settings, WORKING_EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.retry_message(message=message, actor=admin_user)

    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    event = AuditEvent.objects.get(action="notifications.message.retried")
    assert event.actor == admin_user
    assert event.data == {"status": "dead", "attempts": 1}


@pytest.mark.django_db
def test_a_sent_message_cannot_be_retried(admin_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = queue_email()
    message.refresh_from_db()

    with pytest.raises(services.NotificationError):
        services.retry_message(message=message, actor=admin_user)
    assert not AuditEvent.objects.filter(action="notifications.message.retried").exists()


@pytest.mark.django_db
def test_in_app_messages_appear_in_the_recipients_inbox_and_can_be_marked_read(
    peer, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        older = services.queue_message(
            channel=Channel.IN_APP,
            to_address="",
            subject="Welcome",
            body="Welcome to the program.",
            idempotency_key="welcome:peer",
            recipient=peer,
        )
        newer = services.queue_message(
            channel=Channel.IN_APP,
            to_address="",
            subject="Your match",
            body="You have been matched.",
            idempotency_key="matched:peer",
            recipient=peer,
        )
        queue_email()

    assert list(queries.inbox_for(peer)) == [newer, older]
    assert list(queries.inbox_for(admin_user)) == []
    newer.refresh_from_db()
    assert newer.status == MessageStatus.SENT
    assert newer.read_at is None

    services.mark_read(message=newer, user=peer)

    newer.refresh_from_db()
    assert newer.read_at is not None
    with pytest.raises(services.NotificationError):
        services.mark_read(message=older, user=admin_user)


@pytest.mark.django_db
def test_an_in_app_message_needs_a_recipient():
    with pytest.raises(services.NotificationError):
        services.queue_message(
            channel=Channel.IN_APP,
            to_address="",
            subject="",
            body="Hello",
            idempotency_key="nobody",
        )
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_the_address_and_text_are_encrypted_at_rest(django_capture_on_commit_callbacks):
    from django.db import connection

    with django_capture_on_commit_callbacks(execute=False):
        message = queue_email()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_address, body FROM notifications_outboxmessage WHERE id = %s",
            [message.pk],
        )
        stored_address, stored_body = cursor.fetchone()
    assert ADDRESS not in stored_address
    assert "Alex" not in stored_body


def test_the_outbox_sweep_runs_every_minute_in_the_huey_consumer():
    from huey.contrib.djhuey import HUEY

    from alongside.periodic import tasks  # what the consumer's autodiscovery imports

    assert tasks.PERIODIC_TASKS["sweep_outbox"] is not None
    for minute in (0, 1, 37):
        due = HUEY.read_periodic(dt.datetime(2026, 3, 2, 12, minute, tzinfo=dt.UTC))
        assert "sweep_outbox" in {task.name for task in due}
