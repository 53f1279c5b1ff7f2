"""Many supporters paused, reminded or back in one run: each coordinator gets one digest of a
kind, and each supporter still their own message (ADR 0007)."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.matches.services.offboarding import offboard_supporter
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import Program
from alongside.supporters import jobs
from alongside.supporters.factories import make_ready, not_ready_supporter
from alongside.supporters.models import Supporter, SupporterStatus

pytestmark = pytest.mark.django_db


def trained(program: Program, count: int) -> list[Supporter]:
    """Ready supporters whose Crisis response training (12 months) was done on 1 March 2025."""
    with time_machine.travel(dt.datetime(2025, 3, 1, 12, tzinfo=dt.UTC), tick=False):
        return [
            make_ready(not_ready_supporter(program=program), on=dt.date(2025, 3, 1))
            for _each in range(count)
        ]


def morning(day: dt.date, time: dt.time = dt.time(6, 15)) -> dt.datetime:
    return dt.datetime.combine(day, time, tzinfo=dt.UTC)


def subjects_to(user: User) -> list[str]:
    told = OutboxMessage.objects.filter(recipient=user, channel=Channel.IN_APP)
    return sorted(told.values_list("subject", flat=True))


def test_many_supporters_paused_at_once_give_the_coordinator_one_digest(
    program_a: Program, coordinator_a: User
) -> None:
    supporters = trained(program_a, 5)

    assert run_job(jobs.pause_on_expiry, now=morning(dt.date(2026, 3, 2))).changed == 5

    assert subjects_to(coordinator_a) == ["5 supporters were paused: something expired"]
    digest = OutboxMessage.objects.get(recipient=coordinator_a)
    assert digest.link == "/supervision/"
    assert f"{supporters[0].display_name} (the Crisis response training)" in digest.body
    # Each supporter is still told on their own.
    for supporter in supporters:
        assert OutboxMessage.objects.filter(recipient=supporter.user).count() == 1


def test_a_french_coordinator_reads_the_reminders_digest_in_french(
    program_a: Program, coordinator_a: User
) -> None:
    in_french = user_with_role(Role.COORDINATOR, program_a, language="fr-ca")
    trained(program_a, 4)

    assert run_job(jobs.remind_before_expiry, now=morning(dt.date(2026, 2, 10))).changed == 4

    assert subjects_to(coordinator_a) == ["4 trainings or checks expire soon"]
    assert subjects_to(in_french) == ["4 formations ou vérifications expirent bientôt"]
    assert "(la formation Crisis response)" in OutboxMessage.objects.get(recipient=in_french).body


def test_a_few_supporters_paused_keep_their_own_messages(
    program_a: Program, coordinator_a: User
) -> None:
    supporters = trained(program_a, 3)

    run_job(jobs.pause_on_expiry, now=morning(dt.date(2026, 3, 2)))

    assert subjects_to(coordinator_a) == ["A supporter was paused: something expired"] * 3
    assert {supporter.display_name for supporter in supporters} == {
        message.body.split(" is paused")[0]
        for message in OutboxMessage.objects.filter(recipient=coordinator_a)
    }


def test_many_supporters_back_from_their_break_give_the_coordinator_one_digest(
    program_a: Program, coordinator_a: User
) -> None:
    away_until = timezone.localdate() + dt.timedelta(days=30)
    for supporter in trained(program_a, 4):
        offboard_supporter(
            supporter=supporter,
            by=coordinator_a,
            status=SupporterStatus.ON_BREAK,
            reason="A rest",
            away_until=away_until,
        )
    OutboxMessage.objects.all().delete()

    day_after = morning(away_until + dt.timedelta(days=1), dt.time(6, 25))
    assert run_job(jobs.return_from_breaks_that_ended, now=day_after).changed == 4

    assert subjects_to(coordinator_a) == ["4 supporters are back from their break"]
