"""Requests taken by phone: the promise counts from the call, the program must take calls, and
the call-taker is recorded."""

import datetime as dt
import uuid
import zoneinfo

import pytest
import time_machine

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake import services
from alongside.intake.models import Source, SupportRequest
from alongside.intake.queries import days_not_counted
from alongside.programs.factories import ProgramFactory
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.safety.models import Escalation, Urgency
from alongside.safety.services.crisis import raise_crisis_escalation

TORONTO = zoneinfo.ZoneInfo("America/Toronto")
BOSTON = zoneinfo.ZoneInfo("America/New_York")


def at(zone: zoneinfo.ZoneInfo, *parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=zone)  # type: ignore[misc]


@pytest.fixture
def network(ms):
    """A health-care workers' network in Massachusetts, two business days to match."""
    return ProgramFactory(
        slug="network",
        name="Health Care Worker Network",
        country="US",
        subdivision="MA",
        time_zone="America/New_York",
        sla_business_days=2,
        experiences=[ms],
    )


def take_call(program, ms, taken_by, **overrides) -> SupportRequest:
    """A request taken on the phone, with answers that pass every rule."""
    answers = {
        "program": program,
        "taken_by": taken_by,
        "call_started_at": at(TORONTO, 2026, 1, 9, 16, 30),
        "submission_token": uuid.uuid4(),
        "first_name": "Maya",
        "phone": "+16175550142",
        "contact_methods": [ContactMethod.PHONE],
        "language": Language.ENGLISH,
        "experience": ms,
        "relationship": Relationship.SELF,
        "consent": True,
    }
    return services.take_phone_request(**(answers | overrides))


def test_a_friday_call_entered_after_closing_is_due_two_business_days_after_the_call(
    program_a, ms, coordinator_a
):
    # The call started at 4:30 p.m. on Friday; it was entered at 5:40 p.m., after closing.
    with time_machine.travel(at(TORONTO, 2026, 1, 9, 17, 40), tick=False):
        support_request = take_call(
            program_a, ms, coordinator_a, call_started_at=at(TORONTO, 2026, 1, 9, 16, 30)
        )

    assert support_request.received_at == at(TORONTO, 2026, 1, 9, 16, 30)
    # Friday counts; the weekend does not; Monday is day one and Tuesday day two.
    assert support_request.due_at == at(TORONTO, 2026, 1, 13, 17)


def test_a_call_the_evening_before_thanksgiving_is_due_the_tuesday_after(network, ms):
    coordinator = user_with_role(Role.COORDINATOR, network, email="dana@example.org")
    with time_machine.travel(at(BOSTON, 2025, 11, 26, 17, 50), tick=False):
        support_request = take_call(
            network, ms, coordinator, call_started_at=at(BOSTON, 2025, 11, 26, 17, 30)
        )

    # After closing on Wednesday: Thursday is Thanksgiving, so Friday counts as the day it
    # came; Monday is day one, Tuesday 2 December day two.
    assert support_request.due_at == at(BOSTON, 2025, 12, 2, 17)
    assert days_not_counted(support_request) == [(dt.date(2025, 11, 27), "Thanksgiving Day")]


def test_a_phone_request_records_who_took_it_and_where_it_came_from(program_a, ms, coordinator_a):
    with time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 45), tick=False):
        support_request = take_call(
            program_a,
            ms,
            coordinator_a,
            call_back_at=at(TORONTO, 2026, 1, 12, 10),
            best_times="After 6 p.m., not on Tuesdays",
        )

    support_request.refresh_from_db()
    assert support_request.source == Source.PHONE
    assert support_request.entered_by == coordinator_a
    assert support_request.call_back_at == at(TORONTO, 2026, 1, 12, 10)
    assert support_request.best_times == "After 6 p.m., not on Tuesdays"
    event = AuditEvent.objects.get(action="intake.request.submitted")
    assert event.actor == coordinator_a
    assert event.data == {"source": "phone"}


def test_a_program_not_taking_phone_requests_refuses_the_call(program_a, ms, coordinator_a):
    program_a.accepts_phone_requests = False
    program_a.save()

    with (
        time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 45), tick=False),
        pytest.raises(DomainError, match="Program A does not take requests by phone"),
    ):
        take_call(program_a, ms, coordinator_a)

    assert not SupportRequest.objects.exists()


def test_a_call_cannot_start_in_the_future(program_a, ms, coordinator_a):
    with (
        time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 0), tick=False),
        pytest.raises(DomainError, match="cannot start in the future"),
    ):
        take_call(program_a, ms, coordinator_a)

    assert not SupportRequest.objects.exists()


def test_a_call_more_than_a_week_old_is_refused(program_a, ms, coordinator_a):
    with (
        time_machine.travel(at(TORONTO, 2026, 1, 19, 9), tick=False),
        pytest.raises(DomainError, match="within 7 days"),
    ):
        take_call(program_a, ms, coordinator_a)


def test_the_time_to_call_back_must_come_after_the_call(program_a, ms, coordinator_a):
    with (
        time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 45), tick=False),
        pytest.raises(DomainError, match="must come after the call started"),
    ):
        take_call(program_a, ms, coordinator_a, call_back_at=at(TORONTO, 2026, 1, 9, 9))


def test_the_same_call_saved_twice_makes_one_request(program_a, ms, coordinator_a):
    token = uuid.uuid4()
    with time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 45), tick=False):
        first = take_call(program_a, ms, coordinator_a, submission_token=token)
        second = take_call(program_a, ms, coordinator_a, submission_token=token)

    assert first.pk == second.pk
    assert SupportRequest.objects.count() == 1


def test_a_crisis_answer_in_a_call_raises_one_urgent_escalation_saying_it_came_by_phone(
    program_a, ms, coordinator_a
):
    with time_machine.travel(at(TORONTO, 2026, 1, 9, 16, 45), tick=False):
        support_request = take_call(program_a, ms, coordinator_a)
        answers = [("Are you thinking about harming yourself right now?", "Yes")]
        raise_crisis_escalation(support_request=support_request, answers=answers)
        raise_crisis_escalation(support_request=support_request, answers=answers)

    escalation = Escalation.objects.get()
    assert escalation.urgency == Urgency.URGENT
    assert escalation.support_request == support_request
    assert "(Phone call)" in escalation.what_happened
    assert "harming yourself right now? Yes" in escalation.what_happened
