"""Each e-mail carries a Message-ID made from its idempotency key, the same on every attempt,
so that the rare duplicate a crash can cause is recognisable by the receiver."""

import re

import pytest
from django.core import mail

from alongside.notifications import services
from alongside.notifications.channels import message_id_for
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage


def email_row(key: str = "safety.escalation:3:0:9:email") -> OutboxMessage:
    return OutboxMessage.objects.create(
        channel=Channel.EMAIL,
        to_address="on.call@example.org",
        subject="Urgent: escalation #3 needs you now",
        body="Please acknowledge it.",
        idempotency_key=key,
    )


@pytest.mark.django_db
def test_every_attempt_at_an_email_carries_the_same_message_id_made_from_its_key(settings):
    settings.DEFAULT_FROM_EMAIL = "Alongside <alerts@peers.example.org>"
    message = email_row()

    services.deliver_message(message_id=message.pk)
    OutboxMessage.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    services.deliver_message(message_id=message.pk)

    ids = [email.message()["Message-ID"] for email in mail.outbox]
    assert len(ids) == 2
    assert ids[0] == ids[1] == message_id_for(message)
    assert re.fullmatch(r"<[0-9a-f]{32}@peers\.example\.org>", ids[0])
    assert "escalation" not in ids[0]  # the key's ids are not shown
    assert message_id_for(email_row(key="safety.escalation:3:0:9:sms")) != ids[0]


@pytest.mark.django_db
def test_the_message_id_uses_the_sites_host_when_the_sender_has_no_domain(settings):
    settings.DEFAULT_FROM_EMAIL = "alongside"
    settings.SITE_URL = "https://peers.example.org"

    assert message_id_for(email_row()).endswith("@peers.example.org>")
