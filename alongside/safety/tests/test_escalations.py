import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.matches.factories import ContactLogFactory
from alongside.matches.models import Match
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import Program
from alongside.safety import jobs
from alongside.safety.models import Escalation, EscalationStatus, EventKind, Urgency
from alongside.safety.services import escalations


def raise_urgent(match: Match, what: str = "They said they feel unsafe tonight.") -> Escalation:
    return escalations.raise_escalation(
        program=match.program,
        raised_by=match.supporter.user,
        urgency=Urgency.URGENT,
        what_happened=what,
        match=match,
    )


def alerts_to(user: User) -> set[str]:
    return set(OutboxMessage.objects.filter(recipient=user).values_list("channel", flat=True))


def test_an_urgent_escalation_alerts_the_on_call_coordinator_on_every_channel(
    match_a: Match, on_call_a: User
) -> None:
    escalation = raise_urgent(match_a)

    assert alerts_to(on_call_a) == {Channel.IN_APP, Channel.EMAIL, Channel.SMS}
    sms = OutboxMessage.objects.get(channel=Channel.SMS)
    assert sms.to_address == "+14165550100"
    assert "unsafe" not in sms.body  # what happened stays in the app
    assert escalation.assigned_to == on_call_a
    assert escalation.status == EscalationStatus.RAISED
    kinds = list(escalation.events.values_list("kind", "recipient"))
    assert kinds == [(EventKind.RAISED, None), (EventKind.ALERTED, on_call_a.pk)]
    assert AuditEvent.objects.filter(
        action="safety.escalation.raised", target_id=str(escalation.pk)
    ).exists()


def test_what_happened_is_stored_encrypted(match_a: Match, on_call_a: User) -> None:
    escalation = raise_urgent(match_a, "A very private detail")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT what_happened FROM safety_escalation WHERE id = %s", [escalation.pk])
        (stored,) = cursor.fetchone()
    assert "private" not in stored


def test_without_a_phone_the_coordinator_is_alerted_in_the_app_and_by_email(
    match_a: Match, coordinator_a: User
) -> None:
    raise_urgent(match_a)

    assert alerts_to(coordinator_a) == {Channel.IN_APP, Channel.EMAIL}


def test_an_escalation_needs_what_happened_and_a_known_urgency(
    match_a: Match, on_call_a: User
) -> None:
    with pytest.raises(DomainError):
        raise_urgent(match_a, what="   ")
    with pytest.raises(DomainError):
        escalations.raise_escalation(
            program=match_a.program,
            raised_by=None,
            urgency="whenever",
            what_happened="x",
            match=match_a,
        )
    assert not Escalation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_match_from_another_program_is_refused(
    match_a: Match, program_b: Program, on_call_a: User
) -> None:
    with pytest.raises(DomainError):
        escalations.raise_escalation(
            program=program_b,
            raised_by=None,
            urgency=Urgency.URGENT,
            what_happened="x",
            match=match_a,
        )


def test_an_escalation_from_a_contact_takes_the_contacts_match(
    match_a: Match, on_call_a: User
) -> None:
    contact = ContactLogFactory(match=match_a)

    escalation = escalations.raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.BEYOND_ROLE,
        what_happened="They asked about medication.",
        contact=contact,
    )

    assert escalation.match == match_a


def test_a_beyond_my_role_escalation_tells_every_coordinator_without_a_clock(
    match_a: Match, on_call_a: User, second_on_call_a: User
) -> None:
    escalation = escalations.raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.BEYOND_ROLE,
        what_happened="They asked about medication.",
        match=match_a,
    )

    assert alerts_to(on_call_a) == {Channel.IN_APP, Channel.EMAIL}
    assert alerts_to(second_on_call_a) == {Channel.IN_APP, Channel.EMAIL}
    assert escalation.next_alert_at is None


def test_unacknowledged_it_moves_to_the_next_on_call_then_the_backup_then_round_again(
    match_a: Match, on_call_a: User, second_on_call_a: User, backup_a: User
) -> None:
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        escalation = raise_urgent(match_a)
        assert escalation.assigned_to == on_call_a

        clock.shift(window - dt.timedelta(seconds=1))
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 0

        clock.shift(dt.timedelta(seconds=1))
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 1
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 0  # safe to run twice
        escalation.refresh_from_db()
        assert escalation.assigned_to == second_on_call_a

        clock.shift(window)
        run_job(jobs.move_up_unacknowledged_escalations)
        escalation.refresh_from_db()
        assert escalation.assigned_to == backup_a
        assert alerts_to(backup_a) == {Channel.IN_APP, Channel.EMAIL}

        clock.shift(window)
        run_job(jobs.move_up_unacknowledged_escalations)
        escalation.refresh_from_db()
        assert escalation.assigned_to == on_call_a
        # A second round alerts again: new messages, not the first ones repeated.
        assert OutboxMessage.objects.filter(recipient=on_call_a).count() == 6

    moved = escalation.events.filter(kind=EventKind.MOVED_ON).count()
    assert moved == 3


def test_an_acknowledged_escalation_stops_moving_and_tells_the_supporter_who_has_it(
    match_a: Match, on_call_a: User, second_on_call_a: User
) -> None:
    escalation = raise_urgent(match_a)

    escalations.acknowledge_escalation(escalation=escalation, actor=second_on_call_a)

    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 0
    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.ACKNOWLEDGED
    assert escalation.acknowledged_by == second_on_call_a
    told = OutboxMessage.objects.get(recipient=match_a.supporter.user)
    assert told.channel == Channel.IN_APP
    assert "Jo" in told.body


def test_a_second_coordinator_cannot_acknowledge_what_another_took(
    match_a: Match, on_call_a: User, second_on_call_a: User
) -> None:
    escalation = raise_urgent(match_a)
    escalations.acknowledge_escalation(escalation=escalation, actor=on_call_a)

    with pytest.raises(DomainError, match="already acknowledged"):
        escalations.acknowledge_escalation(escalation=escalation, actor=second_on_call_a)


def test_notes_and_resolution_go_on_the_timeline(match_a: Match, on_call_a: User) -> None:
    escalation = raise_urgent(match_a)
    escalations.add_escalation_note(escalation=escalation, actor=on_call_a, note="Called them.")
    escalations.resolve_escalation(
        escalation=escalation, actor=on_call_a, outcome="Safe with family; crisis line given."
    )

    escalation.refresh_from_db()
    assert escalation.status == EscalationStatus.RESOLVED
    assert escalation.acknowledged_by == on_call_a  # resolving also takes it
    assert escalation.outcome == "Safe with family; crisis line given."
    assert list(escalation.events.values_list("kind", flat=True)) == [
        EventKind.RAISED,
        EventKind.ALERTED,
        EventKind.NOTE,
        EventKind.RESOLVED,
    ]
    with pytest.raises(DomainError):
        escalations.resolve_escalation(escalation=escalation, actor=on_call_a, outcome="again")
    with pytest.raises(DomainError):
        escalations.resolve_escalation(escalation=escalation, actor=on_call_a, outcome=" ")


def test_with_nobody_on_call_the_programs_coordinators_are_alerted(
    match_a: Match, coordinator_a: User
) -> None:
    escalation = raise_urgent(match_a)

    assert escalation.assigned_to == coordinator_a


def test_with_no_staff_at_all_the_timeline_says_nobody_could_be_alerted(
    match_a: Match,
) -> None:
    escalation = raise_urgent(match_a)

    assert escalation.events.filter(kind=EventKind.NOBODY_TO_ALERT).exists()
    assert escalation.next_alert_at is not None  # tries again when the window passes


def test_a_rolled_back_escalation_sends_nothing(
    match_a: Match, on_call_a: User, django_capture_on_commit_callbacks
) -> None:
    def raise_then_fail() -> None:
        with transaction.atomic():
            raise_urgent(match_a)
            raise RuntimeError("the page failed after raising")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        raise_then_fail()

    assert callbacks == []
    assert not Escalation.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_a_committed_escalation_sends_each_alert_exactly_once(
    match_a: Match, on_call_a: User, django_capture_on_commit_callbacks, settings
) -> None:
    from django.core import mail

    settings.SMS_BACKEND = "alongside.notifications.sms.ConsoleSmsBackend"
    with django_capture_on_commit_callbacks(execute=True):
        raise_urgent(match_a)
    with django_capture_on_commit_callbacks(execute=True):
        from alongside.notifications.services import requeue_overdue_messages

        requeue_overdue_messages()

    statuses = list(OutboxMessage.objects.values_list("status", "attempts"))
    assert statuses == [(MessageStatus.SENT, 1)] * 3
    assert len(mail.outbox) == 1


def test_many_urgent_escalations_moving_up_at_once_each_reach_the_next_on_call_on_their_own(
    match_a: Match, on_call_a: User, second_on_call_a: User
) -> None:
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        raised = [raise_urgent(match_a) for _each in range(6)]
        clock.shift(window)
        assert run_job(jobs.move_up_unacknowledged_escalations).changed == 6

    told = OutboxMessage.objects.filter(recipient=second_on_call_a, channel=Channel.IN_APP)
    # Urgent messages are never gathered in a digest: one each.
    assert sorted(told.values_list("subject", flat=True)) == sorted(
        f"Urgent: escalation #{escalation.pk} needs you now" for escalation in raised
    )
