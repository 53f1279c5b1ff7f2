"""Done when: with mail and SMS down, 100 urgent escalations; then recovery. Nothing lost or sent
twice, and the ones nobody acknowledged moved up the rota on time."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.models import User
from alongside.matches.models import Match
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.notifications.services import requeue_overdue_messages
from alongside.periodic.runner import run_job
from alongside.safety import jobs
from alongside.safety.models import Escalation, Urgency
from alongside.safety.services import escalations
from alongside.safety.tests.fakes import FlakySmsBackend, free_port, start_smtp_server

ESCALATIONS = 100


@pytest.fixture
def smtp_port(settings) -> int:
    port = free_port()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    return port


@pytest.fixture
def flaky_sms(settings):
    settings.SMS_BACKEND = "alongside.safety.tests.fakes.FlakySmsBackend"
    FlakySmsBackend.reset(down=True)
    yield FlakySmsBackend
    FlakySmsBackend.reset()


def test_with_mail_and_sms_down_every_urgent_alert_is_delivered_once_after_recovery(
    match_a: Match,
    on_call_a: User,
    second_on_call_a: User,
    smtp_port: int,
    flaky_sms,
    django_capture_on_commit_callbacks,
) -> None:
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        # The outage: every delivery is attempted right after its commit, and fails.
        with django_capture_on_commit_callbacks(execute=True):
            for number in range(ESCALATIONS):
                escalations.raise_escalation(
                    program=match_a.program,
                    raised_by=match_a.supporter.user,
                    urgency=Urgency.URGENT,
                    what_happened=f"Urgent need number {number}.",
                    match=match_a,
                )
        first_alerts = OutboxMessage.objects.filter(recipient=on_call_a)
        assert first_alerts.count() == ESCALATIONS * 3
        assert set(first_alerts.values_list("channel", flat=True)) == {
            Channel.IN_APP,
            Channel.EMAIL,
            Channel.SMS,
        }
        outside = OutboxMessage.objects.exclude(channel=Channel.IN_APP)
        assert set(outside.values_list("status", flat=True)) == {MessageStatus.FAILED}

        # Half of them are acknowledged; the rest must move up the rota when the window ends.
        acknowledged = list(Escalation.objects.order_by("pk")[: ESCALATIONS // 2])
        for escalation in acknowledged:
            escalations.acknowledge_escalation(escalation=escalation, actor=on_call_a)

        clock.shift(window - dt.timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert run_job(jobs.move_up_unacknowledged_escalations).changed == 0
            requeue_overdue_messages()  # still down: retries fail again

        clock.shift(dt.timedelta(seconds=1))
        with django_capture_on_commit_callbacks(execute=True):
            assert run_job(jobs.move_up_unacknowledged_escalations).changed == ESCALATIONS // 2
        assert set(
            Escalation.objects.filter(acknowledged_by__isnull=True).values_list(
                "assigned_to", flat=True
            )
        ) == {second_on_call_a.pk}

        # Recovery: the mail server comes up on its port, the SMS gateway answers again.
        controller, smtp = start_smtp_server(smtp_port)
        FlakySmsBackend.down = False
        try:
            for _ in range(3):  # the sweep runs every minute; running it more changes nothing
                clock.shift(dt.timedelta(hours=1))
                with django_capture_on_commit_callbacks(execute=True):
                    requeue_overdue_messages()
        finally:
            controller.stop()

    outside = OutboxMessage.objects.exclude(channel=Channel.IN_APP)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {MessageStatus.SENT}
    emails = outside.filter(channel=Channel.EMAIL)
    texts = outside.filter(channel=Channel.SMS)
    # 100 to the first on call, 50 to the second, and the e-mail none of them got twice.
    assert emails.count() == ESCALATIONS + ESCALATIONS // 2
    assert sum(smtp.received.values()) == emails.count()
    assert set(smtp.received.values()) == {1}
    assert texts.count() == ESCALATIONS  # only the first on call has a mobile phone
    assert sum(FlakySmsBackend.sent.values()) == ESCALATIONS
    assert set(FlakySmsBackend.sent.values()) == {1}
