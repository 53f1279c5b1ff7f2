"""The administrators' page of undelivered messages: what it lists, what it hides, and sending
a message again, without the Django admin."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import give_authenticator_app
from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.views import MESSAGES_PER_PAGE
from alongside.programs.models import Program

ADDRESS = "sam.peer@example.org"
SUBJECT = "Meet your peer supporter"
BODY = "Alex will call you this week about the walking group."


def undelivered(
    program: Program | None,
    *,
    key: str,
    status: MessageStatus = MessageStatus.DEAD,
    error: str = "SMTPServerDisconnected",
) -> OutboxMessage:
    return OutboxMessage.objects.create(
        program=program,
        kind="matching.proposal.sent",
        channel=Channel.EMAIL,
        to_address=ADDRESS,
        subject=SUBJECT,
        body=BODY,
        idempotency_key=key,
        status=status,
        attempts=8,
        last_error=error,
    )


def listed_ids(response) -> list[int]:
    return [message.pk for message in response.context["page"].object_list]


@pytest.fixture
def dead_in_a(program_a: Program) -> OutboxMessage:
    return undelivered(program_a, key="a:dead")


@pytest.fixture
def dead_in_b(program_b: Program) -> OutboxMessage:
    return undelivered(program_b, key="b:dead", error="SMTPRecipientsRefused")


def test_an_administrator_sees_their_programs_undelivered_messages_and_not_another_programs(
    client, administrator, dead_in_a, dead_in_b
):
    failed_in_a = undelivered(dead_in_a.program, key="a:failed", status=MessageStatus.FAILED)
    undelivered(dead_in_a.program, key="a:sent", status=MessageStatus.SENT)
    client.force_login(administrator)

    response = client.get(reverse("notifications:undelivered"))

    assert response.status_code == 200
    assert listed_ids(response) == [failed_in_a.pk, dead_in_a.pk]  # newest first
    page = response.content.decode()
    assert "SMTPServerDisconnected" in page
    assert "SMTPRecipientsRefused" not in page
    assert reverse("notifications:send_again", args=[dead_in_a.pk]) in page
    assert reverse("notifications:send_again", args=[dead_in_b.pk]) not in page


def test_the_page_never_shows_a_messages_address_subject_or_text(client, administrator, dead_in_a):
    client.force_login(administrator)

    page = client.get(reverse("notifications:undelivered")).content.decode()

    assert "matching.proposal.sent" in page
    assert ADDRESS not in page
    assert SUBJECT not in page
    assert BODY not in page


def test_a_superuser_sees_every_programs_messages_and_those_of_no_program(
    client, dead_in_a, dead_in_b
):
    of_no_program = undelivered(None, key="none:dead")
    superuser = User.objects.create_superuser(email="root@example.org", password="x" * 12)
    give_authenticator_app(superuser)
    client.force_login(superuser)

    response = client.get(reverse("notifications:undelivered"))

    assert listed_ids(response) == [of_no_program.pk, dead_in_b.pk, dead_in_a.pk]


def test_send_again_makes_the_message_pending_with_fresh_attempts_and_audits_it(
    client, administrator, dead_in_a
):
    client.force_login(administrator)

    response = client.post(
        reverse("notifications:send_again", args=[dead_in_a.pk]), {"page": "1"}, follow=True
    )

    assert response.redirect_chain == [(reverse("notifications:undelivered") + "?page=1", 302)]
    dead_in_a.refresh_from_db()
    assert dead_in_a.status == MessageStatus.PENDING
    assert dead_in_a.attempts == 0
    event = AuditEvent.objects.get(action="notifications.message.retried")
    assert event.actor == administrator
    assert event.target_id == str(dead_in_a.pk)
    assert event.data == {"status": MessageStatus.DEAD, "attempts": 8}
    assert f"Message #{dead_in_a.pk} will be sent again now." in response.content.decode()
    assert listed_ids(response) == []


def test_send_again_queues_the_delivery_after_commit(
    client, administrator, dead_in_a, django_capture_on_commit_callbacks
):
    client.force_login(administrator)

    with django_capture_on_commit_callbacks() as callbacks:
        client.post(reverse("notifications:send_again", args=[dead_in_a.pk]))

    assert len(callbacks) == 1


def test_an_administrator_cannot_send_again_another_programs_message(
    client, administrator, dead_in_b
):
    client.force_login(administrator)

    response = client.post(reverse("notifications:send_again", args=[dead_in_b.pk]))

    assert response.status_code == 404
    dead_in_b.refresh_from_db()
    assert dead_in_b.status == MessageStatus.DEAD
    assert not AuditEvent.objects.filter(action="notifications.message.retried").exists()


def test_sending_again_a_message_already_delivered_is_a_404(client, administrator, program_a):
    sent = undelivered(program_a, key="a:sent", status=MessageStatus.SENT)
    client.force_login(administrator)

    assert client.post(reverse("notifications:send_again", args=[sent.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["coordinator_a", "supporter_a", "peer_user"])
def test_nobody_but_an_administrator_sees_the_page_or_sends_again(
    client, request, persona, dead_in_a
):
    person = request.getfixturevalue(persona)
    client.force_login(getattr(person, "user", person))

    assert client.get(reverse("notifications:undelivered")).status_code == 403
    response = client.post(reverse("notifications:send_again", args=[dead_in_a.pk]))

    assert response.status_code == 403
    dead_in_a.refresh_from_db()
    assert dead_in_a.status == MessageStatus.DEAD
    assert not AuditEvent.objects.filter(action="notifications.message.retried").exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, dead_in_a):
    for response in (
        client.get(reverse("notifications:undelivered")),
        client.post(reverse("notifications:send_again", args=[dead_in_a.pk])),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    dead_in_a.refresh_from_db()
    assert dead_in_a.status == MessageStatus.DEAD


def test_the_list_is_paged_in_a_fixed_number_of_queries(
    client, administrator, program_a, django_assert_max_num_queries
):
    for number in range(MESSAGES_PER_PAGE + 10):
        undelivered(program_a, key=f"a:{number}")
    client.force_login(administrator)

    # The session, the user, their roles, the count and one page of rows, whatever the total;
    # and the menu's three: whether they take calls, the header's inbox count and (to an
    # administrator, who reviews them) the emergency accesses to review.
    with django_assert_max_num_queries(8):
        first = client.get(reverse("notifications:undelivered"))
    with django_assert_max_num_queries(8):
        second = client.get(reverse("notifications:undelivered"), {"page": 2})

    assert len(listed_ids(first)) == MESSAGES_PER_PAGE
    assert len(listed_ids(second)) == 10
    assert not set(listed_ids(first)) & set(listed_ids(second))
    assert "?page=2" in first.content.decode()


def test_the_page_is_linked_from_the_administrators_menu_and_the_background_jobs_page(
    client, administrator, coordinator_a
):
    client.force_login(administrator)
    page_url = reverse("notifications:undelivered")
    assert page_url in client.get(reverse("intake:queue")).content.decode()
    assert page_url in client.get(reverse("periodic:jobs")).content.decode()

    client.force_login(coordinator_a)
    assert page_url not in client.get(reverse("intake:queue")).content.decode()
