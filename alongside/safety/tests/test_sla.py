import datetime as dt

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.core.calendar import BusinessCalendar
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import RequestStatus
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.periodic.tests.both_ways import both_ways
from alongside.programs.models import Program
from alongside.safety import jobs
from alongside.safety.models import SlaAlert, SlaAlertKind
from alongside.safety.queries import SLA_RISK_WINDOW, sla_alert_kinds

ONTARIO = BusinessCalendar(country="CA", subdivision="ON", time_zone="America/Toronto")
BRITISH_COLUMBIA = BusinessCalendar(country="CA", subdivision="BC", time_zone="America/Vancouver")
MASSACHUSETTS = BusinessCalendar(country="US", subdivision="MA", time_zone="America/New_York")


@pytest.fixture
def waiting_request(program_a: Program):
    # Received on Tuesday 13 January 2026 at 10:00 in Toronto; two business days: Thursday 17:00.
    received = dt.datetime(2026, 1, 13, 15, 0, tzinfo=dt.UTC)
    return SupportRequestFactory(program=program_a, received_at=received)


def test_an_unmatched_request_alerts_coordinators_four_hours_before_it_is_due(
    waiting_request, coordinator_a: User
) -> None:
    due = waiting_request.due_at
    assert due == dt.datetime(2026, 1, 15, 22, 0, tzinfo=dt.UTC)

    with time_machine.travel(due - SLA_RISK_WINDOW - dt.timedelta(minutes=1)):
        assert run_job(jobs.check_time_to_match).changed == 0
    with time_machine.travel(due - SLA_RISK_WINDOW):
        assert run_job(jobs.check_time_to_match).changed == 1
        assert run_job(jobs.check_time_to_match).changed == 0  # safe to run twice

    alerts = OutboxMessage.objects.filter(recipient=coordinator_a)
    assert set(alerts.values_list("channel", flat=True)) == {Channel.IN_APP, Channel.EMAIL}
    assert "nearly due" in alerts.first().subject
    assert list(SlaAlert.objects.values_list("kind", flat=True)) == [SlaAlertKind.AT_RISK]


def test_each_coordinator_reads_the_due_time_in_their_own_zone(
    waiting_request, coordinator_a: User, program_a: Program
) -> None:
    in_vancouver = user_with_role(Role.COORDINATOR, program_a, time_zone="America/Vancouver")

    with time_machine.travel(waiting_request.due_at - SLA_RISK_WINDOW):
        run_job(jobs.check_time_to_match)

    def email_to(user: User) -> str:
        return OutboxMessage.objects.get(recipient=user, channel=Channel.EMAIL).body

    assert "due by 2026-01-15 17:00 EST" in email_to(coordinator_a)  # the program's zone
    assert "due by 2026-01-15 14:00 PST" in email_to(in_vancouver)


def test_a_request_past_due_has_its_breach_recorded_once(
    waiting_request, coordinator_a: User
) -> None:
    with time_machine.travel(waiting_request.due_at + dt.timedelta(minutes=1)):
        assert (
            run_job(jobs.check_time_to_match).changed == 2
        )  # nearly due (missed while down) and past due
        assert run_job(jobs.check_time_to_match).changed == 0

    assert SlaAlert.objects.filter(kind=SlaAlertKind.BREACHED).count() == 1
    assert AuditEvent.objects.filter(action="safety.sla.breached").count() == 1


def test_a_matched_request_raises_no_alert(waiting_request, coordinator_a: User) -> None:
    waiting_request.status = RequestStatus.MATCHED
    waiting_request.save()

    with time_machine.travel(waiting_request.due_at + dt.timedelta(days=1)):
        assert run_job(jobs.check_time_to_match).changed == 0


# ---- the clock across daylight-saving changes and holidays ---------------------------------

calendars = st.sampled_from([ONTARIO, BRITISH_COLUMBIA, MASSACHUSETTS])
# Days around the 2026 clock changes (8 March, 1 November) and holidays: Good Friday, Victoria
# Day / Patriots' Day, Canada Day / Independence Day, Thanksgiving, Christmas.
NEAR = [
    dt.date(2026, 3, 6),
    dt.date(2026, 4, 2),
    dt.date(2026, 4, 17),
    dt.date(2026, 5, 15),
    dt.date(2026, 6, 30),
    dt.date(2026, 10, 8),
    dt.date(2026, 10, 30),
    dt.date(2026, 12, 23),
]
arrivals = st.builds(
    lambda day, minutes: (
        dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC) + dt.timedelta(minutes=minutes)
    ),
    st.sampled_from(NEAR),
    st.integers(0, 4 * 24 * 60),
)


@settings(deadline=None, max_examples=60)
@given(calendar=calendars, arrival=arrivals, days=st.integers(0, 3), offset=st.integers(-600, 600))
def test_the_nearly_due_alert_falls_in_the_last_business_hours_of_the_due_day(
    calendar: BusinessCalendar, arrival: dt.datetime, days: int, offset: int
) -> None:
    due = calendar.due_at(arrival, days)
    risk_from = due - SLA_RISK_WINDOW
    local_risk, local_due = risk_from.astimezone(calendar.zone), due.astimezone(calendar.zone)
    assert local_risk.date() == local_due.date()
    assert calendar.is_business_day(local_due.date())
    assert local_risk.time() == dt.time(13, 0)  # 17:00 less four hours, in local time

    now = risk_from + dt.timedelta(minutes=offset)
    expected = [SlaAlertKind.AT_RISK] if offset >= 0 else []
    if offset >= 4 * 60:
        expected.append(SlaAlertKind.BREACHED)
    assert sla_alert_kinds(due, now) == expected


def test_a_batch_records_the_same_alerts_and_messages_as_one_request_at_a_time(
    program_a: Program, program_b: Program, coordinator_a: User
) -> None:
    user_with_role(Role.COORDINATOR, program_a, time_zone="America/Vancouver", language="fr-ca")
    user_with_role(Role.COORDINATOR, program_b)
    received = dt.datetime(2026, 1, 13, 15, 0, tzinfo=dt.UTC)
    requests = [
        SupportRequestFactory(program=program, received_at=received + dt.timedelta(hours=hours))
        for hours in (0, 30, 52, 80)
        for program in (program_a, program_b)
    ]
    now = requests[2].due_at - SLA_RISK_WINDOW + dt.timedelta(minutes=1)
    SlaAlert.objects.create(
        program=program_a,
        support_request=requests[0],
        kind=SlaAlertKind.AT_RISK,
        due_at=requests[0].due_at,
    )

    batched, one_by_one = both_ways(jobs.check_time_to_match, now, SlaAlert)

    assert batched == one_by_one
    new_alerts = batched.rows["SlaAlert"][1:]
    assert batched.summary.changed == len(new_alerts) == 5
    in_a = sum(alert["program_id"] == program_a.pk for alert in new_alerts)
    # Two coordinators in program A, one in B; each told in the app and by e-mail.
    assert len(batched.rows["OutboxMessage"]) == 2 * (2 * in_a + (5 - in_a))
