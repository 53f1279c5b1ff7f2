"""Wellbeing check-ins, debrief requests and the burnout signal a coordinator sees."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.core.errors import DomainError
from alongside.matches.factories import MatchFactory
from alongside.matches.models import ContactLog
from alongside.notifications.models import OutboxMessage
from alongside.supporters.queries import burnout_signals
from alongside.supporters.services.wellbeing import record_wellbeing, request_debrief

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 20, 15, tzinfo=dt.UTC)


def test_a_supporter_keeps_a_check_in_and_a_low_score_tells_the_coordinator(
    supporter_a, coordinator_a
):
    record_wellbeing(supporter=supporter_a, score=4, note="", by=supporter_a.user)
    assert not OutboxMessage.objects.filter(recipient=coordinator_a).exists()

    record_wellbeing(supporter=supporter_a, score=2, note="A hard week.", by=supporter_a.user)

    told = OutboxMessage.objects.get(recipient=coordinator_a)
    assert "struggling (2 out of 5)" in told.body
    assert "hard week" not in told.body  # the note stays in the record


def test_nobody_else_can_fill_in_a_supporters_check_in(supporter_a, coordinator_a):
    with pytest.raises(DomainError, match="themselves"):
        record_wellbeing(supporter=supporter_a, score=3, note="", by=coordinator_a)


def test_a_score_outside_1_to_5_is_refused(supporter_a):
    with pytest.raises(DomainError, match="1 to 5"):
        record_wellbeing(supporter=supporter_a, score=6, note="", by=supporter_a.user)


def test_falling_scores_are_a_burnout_signal(supporter_a):
    for score in (5, 4, 3):
        record_wellbeing(supporter=supporter_a, score=score, note="", by=supporter_a.user)

    assert burnout_signals(supporter_a, timezone.localdate()) == [
        "wellbeing scores are falling (5, 4, 3)"
    ]


def test_steady_scores_are_no_signal(supporter_a):
    for score in (4, 4, 5):
        record_wellbeing(supporter=supporter_a, score=score, note="", by=supporter_a.user)

    assert burnout_signals(supporter_a, timezone.localdate()) == []


@time_machine.travel(NOW, tick=False)
def test_hours_above_the_pledge_this_month_are_a_signal(supporter_a):
    supporter_a.expected_hours_per_month = Decimal("2.0")
    supporter_a.save()
    match = MatchFactory(program=supporter_a.program, supporter=supporter_a)
    for days_ago in (1, 2, 40):  # the last one was last month and does not count
        ContactLog.objects.create(
            match=match,
            logged_by=supporter_a.user,
            occurred_at=NOW - dt.timedelta(days=days_ago),
            minutes=90,
            method="phone",
            was_made=True,
        )

    assert burnout_signals(supporter_a, NOW.date()) == [
        "has given 3.0 hours this month, above their pledge of 2.0"
    ]


def test_three_hard_contacts_in_a_row_are_a_signal(supporter_a):
    match = MatchFactory(program=supporter_a.program, supporter=supporter_a)
    for hours_ago in (3, 2, 1):
        ContactLog.objects.create(
            match=match,
            logged_by=supporter_a.user,
            occurred_at=timezone.now() - dt.timedelta(hours=hours_ago),
            minutes=30,
            method="phone",
            needs_coordinator=True,
        )

    assert burnout_signals(supporter_a, timezone.localdate()) == [
        "has had 3 hard contacts in a row (each needed the coordinator)"
    ]


def test_a_debrief_request_reaches_the_programs_supervisor(supporter_a, coordinator_a):
    supervisor = user_with_role(Role.SUPERVISOR, supporter_a.program, email="sup@example.org")

    request_debrief(supporter=supporter_a, note="A call about a relapse.", by=supporter_a.user)

    told = OutboxMessage.objects.get(recipient=supervisor)
    assert "would like to talk it through" in told.body
    assert "relapse" not in told.body
    assert not OutboxMessage.objects.filter(recipient=coordinator_a).exists()


def test_without_a_supervisor_a_debrief_request_reaches_the_coordinator(supporter_a, coordinator_a):
    request_debrief(supporter=supporter_a, note="", by=supporter_a.user)

    assert OutboxMessage.objects.filter(recipient=coordinator_a).count() == 1


def test_nobody_else_can_ask_for_a_supporters_debrief(supporter_a, coordinator_a):
    with pytest.raises(DomainError, match="themselves"):
        request_debrief(supporter=supporter_a, note="", by=coordinator_a)
