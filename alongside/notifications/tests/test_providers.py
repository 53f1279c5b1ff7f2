"""Real providers: e-mail through anymail (its test backend here), bounces and complaints from
its webhooks marking the address, coordinators told once, later sends stopped, clearing."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.notifications import services
from alongside.notifications.models import (
    Channel,
    DeliveryReport,
    MessageStatus,
    OutboxMessage,
    UndeliverableAddress,
)
from alongside.notifications.providers.services import clear_undeliverable
from alongside.notifications.services import NotificationError
from alongside.notifications.tests.email_backends import use_email_backend
from alongside.notifications.tests.providers import (
    postmark_bounce,
    postmark_delivery,
    webhook_auth,
)
from alongside.programs.models import Program

ADDRESS = "sam.peer@example.org"
EVENTS_URL = "/anymail/postmark/tracking/"


@pytest.fixture(autouse=True)
def anymail_test_backend(settings):
    use_email_backend(settings, "anymail.backends.test.EmailBackend")


def send_email(program: Program, key: str, address: str = ADDRESS, capture=None) -> OutboxMessage:
    with capture(execute=True):
        message = services.queue_message(
            channel=Channel.EMAIL,
            to_address=address,
            subject="Meet your peer supporter",
            body="Alex will call you this week.",
            idempotency_key=key,
            program=program,
            kind="matching.proposal.sent",
        )
    message.refresh_from_db()
    return message


def post_event(client, payload, **auth):
    return client.post(
        EVENTS_URL, json.dumps(payload), content_type="application/json", **(auth or webhook_auth())
    )


def notices_to(user: User) -> list[OutboxMessage]:
    return list(
        OutboxMessage.objects.filter(
            recipient=user, channel=Channel.IN_APP, kind="notifications.address.undeliverable"
        )
    )


@pytest.fixture
def sent(program_a, django_capture_on_commit_callbacks) -> OutboxMessage:
    return send_email(program_a, "a:1", capture=django_capture_on_commit_callbacks)


def test_an_email_sent_through_anymail_keeps_the_providers_message_id(sent):
    assert sent.status == MessageStatus.SENT
    assert len(mail.outbox) == 1
    assert sent.provider_message_id == "0"  # the test backend numbers its messages


def test_a_bounce_marks_the_address_gives_the_message_up_and_tells_the_coordinators(
    client, sent, coordinator_a, coordinator_b
):
    response = post_event(client, postmark_bounce(message_id="0", email=ADDRESS))

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.delivery_report == DeliveryReport.BOUNCED
    assert sent.status == MessageStatus.DEAD
    assert ADDRESS not in sent.last_error
    (mark,) = UndeliverableAddress.objects.all()
    assert (mark.address, mark.problem, mark.program) == (ADDRESS, "bounced", sent.program)
    (notice,) = notices_to(coordinator_a)
    assert "bounced" in notice.body
    assert ADDRESS not in notice.body
    assert notice.link == reverse("notifications:undeliverable")
    assert notices_to(coordinator_b) == []
    assert AuditEvent.objects.filter(action="notifications.address.marked").count() == 1


def test_the_same_bounce_twice_changes_nothing_more(client, sent, coordinator_a):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))

    assert UndeliverableAddress.objects.count() == 1
    assert len(notices_to(coordinator_a)) == 1
    assert AuditEvent.objects.filter(action="notifications.message.bounced").count() == 1


def test_a_later_email_to_a_bounced_address_is_given_up_without_being_sent(
    client, program_a, sent, django_capture_on_commit_callbacks
):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))

    later = send_email(program_a, "a:2", "SAM.Peer@example.org", django_capture_on_commit_callbacks)

    assert later.status == MessageStatus.DEAD
    assert "marked undeliverable (bounced)" in later.last_error
    assert len(mail.outbox) == 1  # only the first


def test_a_complaint_marks_the_address_like_a_bounce(client, sent, coordinator_a):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS, kind="SpamComplaint"))

    assert UndeliverableAddress.objects.get().problem == DeliveryReport.COMPLAINED
    (notice,) = notices_to(coordinator_a)
    assert "reported as spam" in notice.body


def test_a_bounce_for_an_unknown_message_marks_the_address_for_the_program_last_written(
    client, sent, coordinator_a
):
    post_event(client, postmark_bounce(message_id="not-ours", email=ADDRESS))

    assert UndeliverableAddress.objects.get().program == sent.program
    assert len(notices_to(coordinator_a)) == 1


def test_a_delivery_is_recorded_and_never_hides_a_bounce(client, sent):
    post_event(client, postmark_delivery(message_id="0", email=ADDRESS))
    sent.refresh_from_db()
    assert sent.delivery_report == DeliveryReport.DELIVERED
    assert sent.status == MessageStatus.SENT

    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))
    post_event(client, postmark_delivery(message_id="0", email=ADDRESS))
    sent.refresh_from_db()
    assert sent.delivery_report == DeliveryReport.BOUNCED


def test_clearing_the_mark_lets_messages_go_again_and_is_audited(
    client, program_a, sent, coordinator_a, django_capture_on_commit_callbacks
):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))
    mark = UndeliverableAddress.objects.get()

    clear_undeliverable(mark=mark, actor=coordinator_a)
    later = send_email(program_a, "a:2", capture=django_capture_on_commit_callbacks)

    assert later.status == MessageStatus.SENT
    mark.refresh_from_db()
    assert mark.address == ""  # the record stays (when, what, who), not the address
    event = AuditEvent.objects.get(action="notifications.address.cleared")
    assert event.actor_id == coordinator_a.pk
    with pytest.raises(NotificationError):
        clear_undeliverable(mark=mark, actor=coordinator_a)


def test_a_bounce_after_clearing_marks_the_address_anew_and_tells_again(
    client, sent, coordinator_a
):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))
    clear_undeliverable(mark=UndeliverableAddress.objects.get(), actor=coordinator_a)

    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))

    assert UndeliverableAddress.objects.filter(cleared_at__isnull=True).count() == 1
    assert len(notices_to(coordinator_a)) == 2


# ---- the webhook's door --------------------------------------------------------------------


@pytest.mark.django_db
def test_the_email_webhook_refuses_a_caller_without_the_secret(client):
    payload = postmark_bounce(message_id="0", email=ADDRESS)

    assert post_event(client, payload, HTTP_X_NONE="1").status_code == 401
    wrong = webhook_auth("anymail:wrong")
    assert post_event(client, payload, **wrong).status_code == 401
    assert UndeliverableAddress.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{not json", "[]", "", '"a string"', "\xff"])
def test_the_email_webhook_answers_400_to_a_body_it_cannot_read(client, body):
    response = client.post(EVENTS_URL, body, content_type="application/json", **webhook_auth())

    assert response.status_code == 400
    assert UndeliverableAddress.objects.count() == 0


@pytest.mark.django_db
def test_an_unknown_provider_is_not_found(client):
    response = client.post(
        "/anymail/nobody/tracking/", "{}", content_type="application/json", **webhook_auth()
    )

    assert response.status_code == 404


def test_a_bounced_message_sent_again_after_clearing_goes_out_and_is_reported_afresh(
    client, sent, administrator, coordinator_a, django_capture_on_commit_callbacks
):
    post_event(client, postmark_bounce(message_id="0", email=ADDRESS))
    clear_undeliverable(mark=UndeliverableAddress.objects.get(), actor=coordinator_a)
    sent.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.retry_message(message=sent, actor=administrator)

    sent.refresh_from_db()
    assert (sent.status, sent.delivery_report) == (MessageStatus.SENT, "")
    assert sent.provider_message_id == "1"


def test_the_mark_links_to_the_peers_request_when_intake_knows_the_address(
    client, program_a, coordinator_a, django_capture_on_commit_callbacks
):
    from alongside.intake.factories import SupportRequestFactory

    request = SupportRequestFactory(program=program_a, peer__email="dana.peer@example.net")
    send_email(program_a, "a:peer", "dana.peer@example.net", django_capture_on_commit_callbacks)

    post_event(client, postmark_bounce(message_id="0", email="dana.peer@example.net"))

    mark = UndeliverableAddress.objects.get()
    assert mark.person_link == reverse("intake:request_detail", args=[request.pk])
    client.force_login(coordinator_a)
    page = client.get(reverse("notifications:undeliverable")).content.decode()
    assert f'href="{mark.person_link}"' in page


def test_the_mark_links_to_the_supporters_page_when_the_recipient_is_one(
    client, program_a, supporter_a, coordinator_a
):
    message = OutboxMessage.objects.create(
        program=program_a,
        channel=Channel.EMAIL,
        to_address=supporter_a.user.email,
        recipient=supporter_a.user,
        body="x",
        idempotency_key="to-supporter",
        provider_message_id="pm-9",
    )

    post_event(client, postmark_bounce(message_id="pm-9", email=str(message.to_address)))

    mark = UndeliverableAddress.objects.get()
    assert mark.person_link == reverse("supporters:detail", args=[supporter_a.pk])
