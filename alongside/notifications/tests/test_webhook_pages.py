"""The administrators' webhook pages: reached from the program's settings, an endpoint added
with its secret shown once, a test event, the secret changed, and the deliveries given up sent
again."""

import pytest
from django.urls import reverse

from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.webhooks import services
from alongside.notifications.webhooks.models import WebhookEndpoint

URL = "https://partner.example.org/hooks"


@pytest.fixture
def endpoint(program_a, administrator) -> WebhookEndpoint:
    return services.add_endpoint(
        program=program_a,
        name="Hospital referrals",
        url=URL,
        events=["matches.match.started"],
        added_by=administrator,
    )


def given_up(endpoint: WebhookEndpoint) -> OutboxMessage:
    message = services.send_test_event(endpoint=endpoint, sent_by=endpoint.created_by)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=MessageStatus.DEAD, attempts=8, last_error="HTTP 500"
    )
    return message


def test_the_settings_link_to_the_webhooks_only_for_an_administrator(
    client, program_a, administrator, coordinator_a
):
    webhooks = reverse("notifications:webhook_endpoints", args=[program_a.pk])
    settings = reverse("programs:settings", args=[program_a.pk])

    client.force_login(coordinator_a)
    assert webhooks not in client.get(settings).content.decode()
    client.force_login(administrator)
    assert webhooks in client.get(settings).content.decode()


def test_an_administrator_adds_an_endpoint_and_reads_its_secret_once(
    client, program_a, administrator
):
    client.force_login(administrator)

    response = client.post(
        reverse("notifications:add_webhook_endpoint", args=[program_a.pk]),
        {"name": "Hospital referrals", "url": URL, "events": ["matches.match.started"]},
    )

    endpoint = WebhookEndpoint.objects.get()
    secret_page = reverse("notifications:webhook_secret", args=[endpoint.pk])
    assert response["Location"] == secret_page
    shown = client.get(secret_page)
    assert endpoint.secret in shown.content.decode()
    assert "no-store" in shown["Cache-Control"]
    again = client.get(secret_page, follow=True)
    assert endpoint.secret not in again.content.decode()
    assert "A secret is shown once" in again.content.decode()
    assert endpoint.created_by == administrator
    assert endpoint.is_active is False  # the box was left unticked
    listed = client.get(reverse("notifications:webhook_endpoints", args=[program_a.pk]))
    edit = client.get(reverse("notifications:edit_webhook_endpoint", args=[endpoint.pk]))
    for page in (listed, edit):
        assert URL in page.content.decode()
        assert endpoint.secret not in page.content.decode()


def test_an_address_inside_the_network_is_refused_with_a_message(client, program_a, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("notifications:add_webhook_endpoint", args=[program_a.pk]),
        {
            "name": "Sneaky",
            "url": "http://partner.example.org/",
            "events": ["matches.match.started"],
        },
    )

    assert response.status_code == 200
    assert "The address must start with https://." in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_an_administrator_changes_an_endpoint(client, endpoint, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("notifications:edit_webhook_endpoint", args=[endpoint.pk]),
        {
            "name": "Hospital referrals",
            "url": URL,
            "events": ["matches.match.started", "matches.match.closed"],
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.events == ["matches.match.started", "matches.match.closed"]


def test_send_a_test_event_queues_it_for_that_endpoint(client, endpoint, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse("notifications:send_test_webhook", args=[endpoint.pk]), follow=True
    )

    (message,) = OutboxMessage.objects.filter(channel=Channel.WEBHOOK)
    assert message.kind == "webhook.test"
    assert "A test event is on its way" in response.content.decode()
    assert "webhook.test" in response.content.decode()  # in the latest deliveries


def test_changing_the_secret_asks_first_then_shows_the_new_one_once(
    client, endpoint, administrator
):
    client.force_login(administrator)
    rotate = reverse("notifications:rotate_webhook_secret", args=[endpoint.pk])
    old = endpoint.secret

    asked = client.get(rotate)
    shown = client.post(rotate, {"version": "1"}, follow=True)
    again = client.post(rotate, {"version": "1"}, follow=True)

    assert "both secrets" in asked.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert endpoint.secret in shown.content.decode()
    assert "changed a moment ago" in again.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.previous_secret == old


def test_the_dead_letters_list_the_programs_given_up_deliveries_and_send_one_again(
    client, endpoint, administrator, program_b
):
    other = services.add_endpoint(
        program=program_b,
        name="Elsewhere",
        url=URL,
        events=["matches.match.started"],
        added_by=administrator,
    )
    mine, theirs = given_up(endpoint), given_up(other)
    client.force_login(administrator)
    page = reverse("notifications:given_up_webhooks", args=[endpoint.program_id])

    listed = client.get(page)
    send_again = reverse("notifications:send_webhook_again", args=[mine.pk])
    response = client.post(send_again, {"page": "1"})

    assert [message.pk for message in listed.context["page"].object_list] == [mine.pk]
    assert "HTTP 500" in listed.content.decode()
    assert send_again in listed.content.decode()
    assert response["Location"] == f"{page}?page=1"
    mine.refresh_from_db()
    assert mine.status in (MessageStatus.PENDING, MessageStatus.SENDING, MessageStatus.FAILED)
    assert mine.attempts <= 1
    assert (
        client.get(reverse("notifications:send_webhook_again", args=[theirs.pk])).status_code == 404
    )


def test_the_dead_letters_page_reads_in_a_few_queries_however_many_are_listed(
    client, endpoint, administrator, django_assert_max_num_queries
):
    for _ in range(12):
        given_up(endpoint)
    client.force_login(administrator)
    page = reverse("notifications:given_up_webhooks", args=[endpoint.program_id])

    with django_assert_max_num_queries(12):
        response = client.get(page)

    assert len(response.context["page"].object_list) == 12
