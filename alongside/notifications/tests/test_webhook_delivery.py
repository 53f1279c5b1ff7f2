"""A webhook's delivery, against a real HTTP receiver on 127.0.0.1 that verifies each signature
with the standardwebhooks package: signed, retried after a failure, given up after the last
attempt (and then in the dead letters), refused for a private address in production."""

import datetime as dt
import json

import pytest
from django.test import override_settings
from django.utils import timezone

from alongside.core.models import AuditEvent
from alongside.notifications import services as outbox
from alongside.notifications.models import MessageStatus, OutboxMessage
from alongside.notifications.queries import given_up_message_count
from alongside.notifications.tests.webhook_receiver import webhook_receiver
from alongside.notifications.webhooks import services
from alongside.notifications.webhooks.events import WebhookEvent
from alongside.notifications.webhooks.queries import given_up_webhooks_of

STARTED = WebhookEvent("matches.match.started", name="A match starts", ids=("match", "request"))


def endpoint_at(url, program, by):
    return services.add_endpoint(
        program=program, name="Partner", url=url, events=[STARTED.code], added_by=by
    )


def deliver(message: OutboxMessage) -> OutboxMessage:
    """One attempt now, as the worker makes it once the message is due."""
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
    outbox.deliver_message(message_id=message.pk)
    message.refresh_from_db()
    return message


def emit(program) -> OutboxMessage:
    (message,) = services.emit_event(program=program, event=STARTED, ids={"match": 5, "request": 9})
    return message


def test_a_webhook_is_delivered_signed_and_retried_after_a_failure(program_a, administrator):
    with webhook_receiver(secrets=[], statuses=[500, 200]) as receiver:
        endpoint = endpoint_at(receiver.url, program_a, administrator)
        receiver.secrets = [endpoint.secret]
        message = emit(program_a)

        failed = deliver(message)
        assert (failed.status, failed.attempts, failed.last_error) == (
            MessageStatus.FAILED,
            1,
            "HTTP 500",
        )
        assert failed.next_attempt_at > timezone.now()  # backed off

        sent = deliver(message)

    assert sent.status == MessageStatus.SENT
    assert sent.attempts == 2
    first, second = receiver.received
    assert first.verified_with == second.verified_with == [endpoint.secret]
    assert first.headers["webhook-id"] == second.headers["webhook-id"]  # one event, two tries
    assert json.loads(second.body)["data"] == {
        "program_id": program_a.pk,
        "match_id": 5,
        "request_id": 9,
    }
    assert second.headers["Content-Type"] == "application/json"


def test_during_a_rotation_the_receiver_verifies_with_the_old_or_the_new_secret(
    program_a, administrator
):
    with webhook_receiver(secrets=[], statuses=[200]) as receiver:
        endpoint = endpoint_at(receiver.url, program_a, administrator)
        old = endpoint.secret
        rotated = services.rotate_secret(endpoint=endpoint, version=1, rotated_by=administrator)
        receiver.secrets = [old, rotated.secret, "whsec_" + "A" * 44]

        deliver(emit(program_a))

    (received,) = receiver.received
    assert received.verified_with == [old, rotated.secret]


def test_after_its_last_attempt_a_webhook_is_given_up_and_listed_in_the_dead_letters(
    program_a, administrator
):
    with webhook_receiver(secrets=[], statuses=[503]) as receiver:
        endpoint = endpoint_at(receiver.url, program_a, administrator)
        message = emit(program_a)
        OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=2)

        deliver(message)
        given_up = deliver(message)

    assert given_up.status == MessageStatus.DEAD
    assert len(receiver.received) == 2
    assert list(given_up_webhooks_of(program_a)) == [given_up]
    assert given_up_webhooks_of(program_a)[0].webhook_delivery.endpoint == endpoint
    assert AuditEvent.objects.filter(action="notifications.message.dead").exists()


def test_a_webhook_sent_again_from_the_dead_letters_is_delivered(program_a, administrator):
    with webhook_receiver(secrets=[], statuses=[500, 200]) as receiver:
        endpoint_at(receiver.url, program_a, administrator)
        message = emit(program_a)
        OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=1)
        assert deliver(message).status == MessageStatus.DEAD

        outbox.retry_message(message=message, actor=administrator)
        sent = deliver(message)

    assert sent.status == MessageStatus.SENT
    assert list(given_up_webhooks_of(program_a)) == []


def test_a_webhook_to_a_turned_off_endpoint_is_given_up_unsent(program_a, administrator):
    with webhook_receiver(secrets=[], statuses=[200]) as receiver:
        endpoint = endpoint_at(receiver.url, program_a, administrator)
        message = emit(program_a)
        endpoint.is_active = False
        endpoint.save()

        given_up = deliver(message)

    assert (given_up.status, given_up.last_error) == (
        MessageStatus.DEAD,
        "The endpoint is turned off",
    )
    assert receiver.received == []


def test_in_production_a_host_that_resolves_to_a_private_address_is_refused(
    program_a, administrator
):
    with webhook_receiver(secrets=[], statuses=[200]) as receiver:
        endpoint_at(receiver.url, program_a, administrator)  # saved while allowed (a test)
        message = emit(program_a)

        with override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False):
            refused = deliver(message)

    assert refused.status == MessageStatus.DEAD
    assert refused.last_error.startswith("Refused")
    assert receiver.received == []


@pytest.mark.parametrize("status", [301, 404])
def test_anything_but_a_2xx_is_a_failure(program_a, administrator, status):
    with webhook_receiver(secrets=[], statuses=[status]) as receiver:
        endpoint_at(receiver.url, program_a, administrator)
        failed = deliver(emit(program_a))

    assert (failed.status, failed.last_error) == (MessageStatus.FAILED, f"HTTP {status}")


def test_a_receiver_that_is_not_there_is_a_failure_to_retry(program_a, administrator):
    with webhook_receiver(secrets=[], statuses=[200]) as receiver:
        url = receiver.url
    endpoint_at(url, program_a, administrator)

    failed = deliver(emit(program_a))

    assert (failed.status, failed.last_error) == (MessageStatus.FAILED, "ConnectionRefusedError")


def test_webhooks_given_up_do_not_count_against_the_installations_readiness(
    program_a, administrator
):
    with webhook_receiver(secrets=[], statuses=[500]) as receiver:
        endpoint_at(receiver.url, program_a, administrator)
        message = emit(program_a)
        OutboxMessage.objects.filter(pk=message.pk).update(max_attempts=1)
        assert deliver(message).status == MessageStatus.DEAD

    since = timezone.now() - dt.timedelta(days=1)
    assert given_up_message_count(since=since, at_most=10) == 0
