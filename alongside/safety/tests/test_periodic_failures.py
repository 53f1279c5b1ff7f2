"""One escalation or request whose handling fails never stops the job for the others.

Before the per-item runner, the first escalation whose move-up raised sorted first every
minute, and no escalation due after it ever moved up the rota again.
"""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.models import Match
from alongside.periodic.models import ItemFailure
from alongside.periodic.runner import FIRST_BACKOFF, run_job
from alongside.programs.models import Program
from alongside.safety import jobs
from alongside.safety.models import Escalation, EventKind, SlaAlert, Urgency
from alongside.safety.services import escalations, on_call, time_to_match


@pytest.fixture
def broken(monkeypatch: pytest.MonkeyPatch) -> set[int]:
    """Ids of escalations and requests whose alerts raise, as a bad row or a bug would."""
    ids: set[int] = set()
    offer, message = on_call.offer_to_next, time_to_match._sla_message

    def broken_offer(escalation: Escalation, *, step: int, now: dt.datetime) -> None:
        if escalation.pk in ids:
            raise RuntimeError(f"No way to reach anyone about: {escalation.what_happened}")
        offer(escalation, step=step, now=now)

    def broken_message(support_request, alert):  # type: ignore[no-untyped-def]
        if support_request.pk in ids:
            raise KeyError(support_request.peer.first_name)
        return message(support_request, alert)

    monkeypatch.setattr(on_call, "offer_to_next", broken_offer)
    monkeypatch.setattr(time_to_match, "_sla_message", broken_message)
    return ids


def raise_urgent(match: Match) -> Escalation:
    return escalations.raise_escalation(
        program=match.program,
        raised_by=match.supporter.user,
        urgency=Urgency.URGENT,
        what_happened="Sam Example said they feel unsafe tonight.",
        match=match,
    )


def failure_of(job_name: str, item_pk: int) -> ItemFailure:
    return ItemFailure.objects.get(job=job_name, item_pk=item_pk)


def test_one_escalation_whose_move_up_raises_does_not_stop_the_ones_due_after_it(
    match_a: Match, on_call_a: User, second_on_call_a: User, broken: set[int]
) -> None:
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first, second, third = (raise_urgent(match_a) for _ in range(3))
        broken.add(first.pk)  # it was raised first, so it sorts first every minute

        clock.shift(window)
        summary = run_job(jobs.move_up_unacknowledged_escalations)

    assert (summary.done, summary.failed, summary.changed) == (2, 1, 2)
    for escalation in (first, second, third):
        escalation.refresh_from_db()
    assert (second.assigned_to, third.assigned_to) == (second_on_call_a, second_on_call_a)
    # The failing one is as it was: its claim of the next step was rolled back with it.
    assert (first.assigned_to, first.alert_step) == (on_call_a, 0)
    assert not first.events.filter(kind=EventKind.MOVED_ON).exists()
    failure = failure_of("move_up_unacknowledged_escalations", first.pk)
    assert (failure.item_model, failure.failures) == ("safety.escalation", 1)
    assert failure.error_type == "RuntimeError"
    assert "Sam" not in failure.error_message


def test_a_failing_escalation_is_backed_off_then_retried_and_cleared_when_it_moves(
    match_a: Match, on_call_a: User, second_on_call_a: User, broken: set[int]
) -> None:
    window = dt.timedelta(minutes=match_a.program.acknowledge_within_minutes)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        escalation = raise_urgent(match_a)
        broken.add(escalation.pk)
        clock.shift(window)
        run_job(jobs.move_up_unacknowledged_escalations)

        clock.shift(dt.timedelta(minutes=1))  # the next minute: still backed off, not tried
        assert run_job(jobs.move_up_unacknowledged_escalations).failed == 0
        assert failure_of("move_up_unacknowledged_escalations", escalation.pk).failures == 1

        clock.shift(FIRST_BACKOFF - dt.timedelta(minutes=1))  # its back-off has passed
        assert run_job(jobs.move_up_unacknowledged_escalations).failed == 1
        assert failure_of("move_up_unacknowledged_escalations", escalation.pk).failures == 2

        broken.clear()
        clock.shift(2 * FIRST_BACKOFF)
        summary = run_job(jobs.move_up_unacknowledged_escalations)

    assert (summary.done, summary.failed, summary.changed) == (1, 0, 1)
    assert not ItemFailure.objects.exists()
    escalation.refresh_from_db()
    assert escalation.assigned_to == second_on_call_a
    assert AuditEvent.objects.filter(action="safety.escalation.moved_on").count() == 1


def test_one_request_whose_time_to_match_alert_raises_does_not_stop_the_others(
    program_a: Program, coordinator_a: User, broken: set[int]
) -> None:
    received = dt.datetime(2026, 1, 13, 15, 0, tzinfo=dt.UTC)
    first, second = SupportRequestFactory.create_batch(2, program=program_a, received_at=received)
    broken.add(first.pk)

    with time_machine.travel(first.due_at + dt.timedelta(minutes=1), tick=False) as clock:
        summary = run_job(jobs.check_time_to_match)
        assert (summary.done, summary.failed, summary.changed) == (1, 1, 2)
        assert set(SlaAlert.objects.values_list("support_request_id", flat=True)) == {second.pk}
        failure = failure_of("check_time_to_match", first.pk)
        assert (failure.item_model, failure.failures, failure.error_type) == (
            "intake.supportrequest",
            1,
            "KeyError",
        )

        clock.shift(dt.timedelta(minutes=1))  # backed off: not tried
        assert run_job(jobs.check_time_to_match).failed == 0

        broken.clear()
        clock.shift(FIRST_BACKOFF)
        assert run_job(jobs.check_time_to_match).changed == 2

    assert SlaAlert.objects.filter(support_request=first).count() == 2
    assert not ItemFailure.objects.exists()
