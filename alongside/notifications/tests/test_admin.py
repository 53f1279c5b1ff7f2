import pytest
from django.core import mail
from django.urls import reverse

from alongside.accounts.factories import give_authenticator_app
from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications import services
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage

ADDRESS = "sam.peer@example.org"
TEXT = "Alex will call you this week."


@pytest.fixture
def administrator(db: None) -> User:
    superuser = User.objects.create_superuser(
        email="admin@example.org", password="a long password 1"
    )
    give_authenticator_app(superuser)  # staff sign in with two steps
    return superuser


@pytest.fixture
def dead_message(db: None, django_capture_on_commit_callbacks) -> OutboxMessage:
    with django_capture_on_commit_callbacks(execute=False):
        message = services.queue_message(
            channel=Channel.EMAIL,
            to_address=ADDRESS,
            subject="Meet your peer supporter",
            body=TEXT,
            idempotency_key="intro:1:email",
        )
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.DEAD, attempts=8)
    return message


def test_the_outbox_list_shows_neither_addresses_nor_text(client, administrator, dead_message):
    client.force_login(administrator)

    response = client.get(reverse("admin:notifications_outboxmessage_changelist"))

    assert response.status_code == 200
    content = response.content.decode()
    assert ADDRESS not in content
    assert TEXT not in content


def test_opening_a_message_in_the_admin_is_audited(client, administrator, dead_message):
    client.force_login(administrator)

    response = client.get(
        reverse("admin:notifications_outboxmessage_change", args=[dead_message.pk])
    )

    assert response.status_code == 200
    assert AuditEvent.objects.filter(
        action="notifications.message.viewed", target_id=str(dead_message.pk)
    ).exists()


def test_an_administrator_retries_a_dead_message_from_the_list(
    client, administrator, dead_message, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:notifications_outboxmessage_changelist"),
            {"action": "retry", "_selected_action": [dead_message.pk]},
        )

    assert response.status_code == 302
    dead_message.refresh_from_db()
    assert dead_message.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="notifications.message.retried").count() == 1
