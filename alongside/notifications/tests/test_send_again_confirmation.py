"""Sending a message again asks first: the page says who gets it, and that it may arrive twice."""

from django.urls import reverse

from alongside.core.models import AuditEvent
from alongside.notifications.models import MessageStatus
from alongside.notifications.tests.test_undelivered_page import undelivered


def test_send_again_opens_a_page_saying_who_gets_it_and_sends_nothing(
    client, administrator, program_a
):
    message = undelivered(program_a, key="a:dead")
    client.force_login(administrator)
    again = reverse("notifications:send_again", args=[message.pk])
    assert f'href="{again}?page=1"' in client.get(reverse("notifications:undelivered")).text

    page = client.get(f"{again}?page=1").text

    assert f"Send message #{message.pk} again?" in page
    assert "by e-mail now, with a fresh set of attempts" in page
    assert "If an earlier attempt did reach them, they get it twice." in page
    assert 'name="page" value="1"' in page
    assert f'href="{reverse("notifications:undelivered")}?page=1"' in page
    message.refresh_from_db()
    assert message.status == MessageStatus.DEAD
    assert not AuditEvent.objects.filter(action="notifications.message.retried").exists()


def test_sending_again_twice_sends_once(client, administrator, program_a):
    message = undelivered(program_a, key="a:dead")
    client.force_login(administrator)
    again = reverse("notifications:send_again", args=[message.pk])

    assert client.post(again, {"page": "1"}).status_code == 302
    second = client.post(again, {"page": "1"})

    assert second.status_code == 404
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.filter(action="notifications.message.retried").count() == 1
