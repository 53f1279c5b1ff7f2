"""Webhooks' services: endpoints, secrets and their rotation, and which events queue what."""

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from standardwebhooks import Webhook

from alongside.accounts.models import User
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.webhooks import services
from alongside.notifications.webhooks.delivery import signed_headers, signing_secrets
from alongside.notifications.webhooks.events import WebhookEvent
from alongside.notifications.webhooks.models import WebhookDelivery, WebhookEndpoint
from alongside.programs.models import Program

STARTED = WebhookEvent("matches.match.started", name="A match starts", ids=("match", "request"))
URL = "https://partner.example.org/hooks"


def endpoint_in(
    program: Program, by: User, *, events: tuple[str, ...] = (STARTED.code,), url: str = URL
) -> WebhookEndpoint:
    return services.add_endpoint(
        program=program, name="Hospital referrals", url=url, events=events, added_by=by
    )


def webhooks() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel=Channel.WEBHOOK).order_by("pk"))


def test_an_endpoint_gets_a_standard_webhooks_secret_stored_encrypted(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)

    assert endpoint.secret.startswith("whsec_")
    Webhook(endpoint.secret)  # a secret the standard's own code accepts
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT secret FROM notifications_webhookendpoint WHERE id = %s", [endpoint.pk]
        )
        (stored,) = cursor.fetchone()
    assert endpoint.secret not in stored
    assert AuditEvent.objects.filter(action="notifications.webhook.added").exists()


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://partner.example.org/hooks", "https://"),
        ("https://user:pw@partner.example.org/hooks", "user name"),
        ("https://10.0.0.5/hooks", "public server"),
        ("https://169.254.169.254/latest", "public server"),
        ("https://localhost/hooks", "public server"),
        ("https://intranet/hooks", "public server"),
        ("https://db.internal/hooks", "public server"),
        ("https://[::ffff:127.0.0.1]/hooks", "public server"),
        ("https://[fd00::1]/hooks", "public server"),
        # IPv6 addresses that reach a private IPv4 one: through NAT64, and 6to4.
        ("https://[64:ff9b::a9fe:a9fe]/latest", "public server"),
        ("https://[2002:a00:5::1]/hooks", "public server"),
        ("https://partner.example.org:99999/hooks", "port"),
        ("partner.example.org", "https://"),
    ],
)
@override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False)
def test_an_endpoint_must_be_a_public_https_address(program_a, administrator, url, problem):
    with pytest.raises(DomainError, match=problem):
        endpoint_in(program_a, administrator, url=url)


def test_an_endpoint_must_choose_events_that_exist(program_a, administrator):
    with pytest.raises(DomainError, match="at least one event"):
        endpoint_in(program_a, administrator, events=("matches.match.exploded",))


def test_emit_queues_one_row_for_each_active_endpoint_of_the_program_that_chose_the_event(
    program_a, program_b, administrator
):
    chosen = endpoint_in(program_a, administrator)
    endpoint_in(program_a, administrator, events=("matches.match.closed",))
    turned_off = endpoint_in(program_a, administrator)
    WebhookEndpoint.objects.filter(pk=turned_off.pk).update(is_active=False)
    endpoint_in(program_b, administrator)

    rows = services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": 3})

    assert [row.pk for row in rows] == [row.pk for row in webhooks()]
    assert [WebhookDelivery.objects.get(message=row).endpoint for row in rows] == [chosen]
    assert rows[0].program == program_a
    assert rows[0].kind == "matches.match.started"


def test_the_body_carries_the_event_and_ids_only(program_a, administrator):
    endpoint_in(program_a, administrator)
    at = dt.datetime(2026, 12, 1, 15, 30, tzinfo=dt.UTC)

    (row,) = services.emit_event(
        program=program_a, event=STARTED, ids={"match": 7, "request": 3}, at=at
    )

    body = json.loads(row.body)
    assert body["type"] == "matches.match.started"
    assert body["timestamp"] == "2026-12-01T15:30:00Z"
    assert body["id"].startswith("evt_")
    assert body["data"] == {"program_id": program_a.pk, "match_id": 7, "request_id": 3}
    assert set(body) == {"id", "type", "timestamp", "data"}


def test_an_event_refuses_anything_but_its_own_ids(program_a, administrator):
    endpoint_in(program_a, administrator)

    with pytest.raises(ValueError, match="ids"):
        services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "name": "Sam"})
    with pytest.raises(ValueError, match="ids only"):
        services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": "Sam"})


def test_the_same_event_emitted_twice_is_queued_once(program_a, administrator):
    endpoint_in(program_a, administrator)

    first = services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": 3})
    again = services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": 3})

    assert [row.pk for row in again] == [row.pk for row in first]
    assert len(webhooks()) == 1


@pytest.mark.django_db(transaction=True)
def test_an_event_rolled_back_with_its_change_queues_nothing(program_a, administrator):
    endpoint_in(program_a, administrator)

    def start_then_fail() -> None:
        with transaction.atomic():
            services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": 3})
            raise RuntimeError("the match did not start after all")

    with pytest.raises(RuntimeError):
        start_then_fail()

    assert webhooks() == []


def test_a_program_without_endpoints_pays_one_query(program_a, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert (
            services.emit_event(program=program_a, event=STARTED, ids={"match": 1, "request": 2})
            == []
        )


def test_the_signature_verifies_with_the_endpoints_secret(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)
    (row,) = services.emit_event(program=program_a, event=STARTED, ids={"match": 7, "request": 3})
    now = timezone.now()

    headers = signed_headers(
        secrets=signing_secrets(endpoint, now=now),
        event_id=row.webhook_delivery.event_id,
        body=row.body,
        at=now,
    )

    assert Webhook(endpoint.secret).verify(row.body, headers)["type"] == STARTED.code
    assert headers["webhook-id"] == json.loads(row.body)["id"]


def test_after_a_rotation_both_secrets_sign_until_the_grace_ends(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)
    old = endpoint.secret

    rotated = services.rotate_secret(endpoint=endpoint, version=1, rotated_by=administrator)

    assert rotated.secret != old
    now = timezone.now()
    headers = signed_headers(
        secrets=signing_secrets(rotated, now=now), event_id="evt_1", body="{}", at=now
    )
    assert len(headers["webhook-signature"].split(" ")) == 2
    Webhook(old).verify("{}", headers)
    Webhook(rotated.secret).verify("{}", headers)
    later = now + services.ROTATION_GRACE + dt.timedelta(seconds=1)
    assert signing_secrets(rotated, now=later) == [rotated.secret]
    assert AuditEvent.objects.filter(action="notifications.webhook.secret_rotated").exists()


def test_a_second_click_on_rotate_does_not_rotate_again(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)
    old = endpoint.secret
    services.rotate_secret(endpoint=endpoint, version=1, rotated_by=administrator)

    with pytest.raises(DomainError, match="changed a moment ago"):
        services.rotate_secret(endpoint=endpoint, version=1, rotated_by=administrator)

    endpoint.refresh_from_db()
    assert endpoint.previous_secret == old


def test_a_test_event_goes_to_that_endpoint_only_whatever_it_chose(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)
    endpoint_in(program_a, administrator)

    row = services.send_test_event(endpoint=endpoint, sent_by=administrator)

    assert webhooks() == [row]
    assert row.webhook_delivery.endpoint == endpoint
    assert json.loads(row.body)["type"] == "webhook.test"


def test_a_turned_off_endpoint_gets_no_test_event(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)
    services.change_endpoint(
        endpoint=endpoint,
        name=endpoint.name,
        url=endpoint.url,
        events=endpoint.events,
        is_active=False,
        changed_by=administrator,
    )

    with pytest.raises(DomainError, match="Turn the endpoint on"):
        services.send_test_event(endpoint=endpoint, sent_by=administrator)


@time_machine.travel(dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC), tick=False)
def test_changing_an_endpoint_audits_what_changed(program_a, administrator):
    endpoint = endpoint_in(program_a, administrator)

    services.change_endpoint(
        endpoint=endpoint,
        name="Hospital referrals",
        url="https://partner.example.org/v2/hooks",
        events=[STARTED.code, "matches.match.closed"],
        is_active=True,
        changed_by=administrator,
    )

    event = AuditEvent.objects.get(action="notifications.webhook.changed")
    assert event.data["changed"] == ["events", "url"]
