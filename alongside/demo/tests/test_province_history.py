"""generate_province with a history: a small world of eighteen months, checked with the
services' own rules, each history table filled in the amounts asked."""

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from alongside.demo.province.build import generate_province
from alongside.demo.province.checks import problems_in
from alongside.demo.province.sizes import INSIGHT, ProvinceSizes
from alongside.groups.models import Attendance, AttendanceStatus, GroupSession
from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.hours import prefill_for
from alongside.matches.models import (
    CheckIn,
    CheckInKind,
    ClosureReason,
    ContactLog,
    HoursReport,
    Match,
    MatchStatus,
)
from alongside.outcomes.models import Occasion, Survey
from alongside.programs.models import Program
from alongside.safety.models import Escalation, EscalationStatus
from alongside.supporters.models import (
    DebriefRequest,
    Supporter,
    SupporterStatus,
    WellbeingCheckIn,
)
from alongside.supporters.queries import burnout_signals_of, readiness_of

SMALL = ProvinceSizes(
    programs=3,
    supporters=300,
    largest=120,
    waiting=15,
    open_matches=60,
    contacts=240,
    proposals=6,
    coordinators=2,
    requests=500,
    hours_reports=600,
)


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[list[Program]]:
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        generate_province(SMALL, seed=11)
        yield list(Program.objects.order_by("slug"))
        transaction.set_rollback(True)


def test_the_requests_of_eighteen_months_are_there_in_the_amount_asked(
    world: list[Program], db: None
) -> None:
    assert SupportRequest.objects.count() == 500
    by_status = dict(
        SupportRequest.objects.values_list("status").annotate(count=Count("pk")).order_by()
    )
    assert by_status[RequestStatus.NEW] == 15
    assert by_status[RequestStatus.MATCHED] == 60
    assert by_status[RequestStatus.CLOSED] + by_status[RequestStatus.WITHDRAWN] == 425
    assert by_status[RequestStatus.CLOSED] > 3 * by_status[RequestStatus.WITHDRAWN]
    assert Match.objects.filter(status=MatchStatus.CLOSED).count() == by_status["closed"]


def test_the_world_passes_the_services_rules(world: list[Program], db: None) -> None:
    assert problems_in(world, random.Random(3), sample=400) == []


def test_some_requests_were_matched_after_the_promise_and_most_before(
    world: list[Program], db: None
) -> None:
    matched = Match.objects.filter(status=MatchStatus.CLOSED)
    late = matched.filter(started_at__gt=F("request__due_at")).count()
    assert 0 < late < matched.count() / 2
    assert not matched.filter(started_at__lt=F("request__received_at")).exists()


def test_closed_matches_carry_their_reason_and_closure_checkin(
    world: list[Program], db: None
) -> None:
    closed = Match.objects.filter(status=MatchStatus.CLOSED)
    reasons = set(closed.values_list("closure_reason", flat=True))
    assert {ClosureReason.COMPLETED, ClosureReason.GOALS_MET} <= reasons
    assert len(reasons) >= 5
    assert not closed.filter(Q(closed_at__isnull=True) | Q(closed_at__lte=F("started_at"))).exists()
    closures = CheckIn.objects.filter(kind=CheckInKind.CLOSURE)
    assert closures.count() == closed.count()
    assert not closures.filter(with_supporter=False).exists()
    assert not ContactLog.objects.filter(occurred_at__gt=F("match__closed_at")).exists()


def test_the_hours_reports_are_the_months_asked_and_add_up_to_the_contacts(
    world: list[Program], db: None
) -> None:
    assert HoursReport.objects.count() == 600
    assert HoursReport.objects.order_by().values("month").distinct().count() >= 4
    for report in HoursReport.objects.select_related("supporter__program").order_by("?")[:40]:
        prefill = prefill_for(report.supporter, report.month)
        assert (report.logged_minutes, report.logged_contacts) == (
            prefill.minutes,
            prefill.contacts,
        )


def test_supporters_are_at_each_step_and_some_have_left_with_a_reason(
    world: list[Program], db: None
) -> None:
    statuses = set(Supporter.objects.values_list("status", flat=True))
    assert set(SupporterStatus) == statuses
    left = Supporter.objects.filter(status__in=[SupporterStatus.ALUMNI, SupporterStatus.WITHDRAWN])
    assert all(person.status_reason and person.status_changed_at for person in left)
    screening = list(Supporter.objects.filter(status=SupporterStatus.SCREENING))
    steps_done = {len(state.missing) for state in readiness_of(screening).values()}
    assert len(steps_done) >= 3
    active = list(Supporter.objects.filter(status=SupporterStatus.ACTIVE))
    assert all(state.is_ready for state in readiness_of(active).values())
    # They joined over the eighteen months, not all on the day the world was built.
    year_ago = timezone.now() - dt.timedelta(days=365)
    assert Supporter.objects.filter(created_at__lt=year_ago).count() > 20


def test_surveys_at_start_and_closure_some_unanswered_most_better_at_the_end(
    world: list[Program], db: None
) -> None:
    start = Survey.objects.filter(occasion=Occasion.START)
    closure = Survey.objects.filter(occasion=Occasion.CLOSURE)
    assert start.filter(answered_at__isnull=True).exists()
    assert closure.filter(answered_at__isnull=True).exists()
    assert closure.filter(answered_at__isnull=False).count() > 100


def test_escalations_debriefs_wellbeing_and_groups_are_there(
    world: list[Program], db: None
) -> None:
    escalations = Escalation.objects.all()
    assert escalations.filter(status=EscalationStatus.RESOLVED).count() > 5
    assert not escalations.filter(acknowledged_at__lt=F("created_at")).exists()
    assert (
        escalations.filter(created_at__lt=F("acknowledged_at")).count()
        == escalations.filter(acknowledged_at__isnull=False).count()
    )
    assert DebriefRequest.objects.exists()
    assert WellbeingCheckIn.objects.count() > 50
    active = list(Supporter.objects.filter(status=SupporterStatus.ACTIVE))
    signals = burnout_signals_of(active, Program.objects.first().calendar.today())  # type: ignore[union-attr]
    assert any(signals.values())
    assert GroupSession.objects.count() >= 3 * 39
    assert Attendance.objects.filter(status=AttendanceStatus.ATTENDED).count() > 100


def test_the_insight_size_is_the_issues() -> None:
    INSIGHT.check()
    assert (INSIGHT.programs, INSIGHT.supporters, INSIGHT.requests) == (10, 10_000, 20_000)
    assert (INSIGHT.open_matches, INSIGHT.contacts, INSIGHT.hours_reports) == (
        5_000,
        100_000,
        50_000,
    )
