"""Many matches silent past their nudge in one run: each coordinator gets one digest, each
supporter still their own nudge (ADR 0007)."""

import datetime as dt

import pytest
import time_machine

from alongside.accounts.models import User
from alongside.matches import jobs
from alongside.matches.factories import MatchFactory
from alongside.matches.models import Match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.periodic.runner import run_job
from alongside.programs.models import Program

pytestmark = pytest.mark.django_db
STARTED = dt.datetime(2026, 1, 5, 15, 0, tzinfo=dt.UTC)


def silent(program: Program, count: int) -> list[Match]:
    with time_machine.travel(STARTED, tick=False):
        return [MatchFactory(program=program) for _each in range(count)]


def test_many_silent_matches_give_each_coordinator_one_digest_and_each_supporter_a_nudge(
    program_a: Program, coordinator_a: User
) -> None:
    matches = silent(program_a, 6)

    assert run_job(jobs.check_no_contact, now=STARTED + dt.timedelta(days=90)).changed == 12

    (digest,) = OutboxMessage.objects.filter(recipient=coordinator_a)
    assert (digest.channel, digest.subject) == (Channel.IN_APP, "No contact on 6 matches")
    assert digest.link == "/follow-up/no-contact/"
    first = matches[0]
    assert f"#{first.pk} ({first.supporter.display_name})" in digest.body
    assert "and 1 more" in digest.body
    for match in matches:
        nudges = OutboxMessage.objects.filter(recipient=match.supporter.user)
        assert nudges.count() == 2  # by e-mail and in the app, their own


def test_a_few_silent_matches_keep_their_own_messages(
    program_a: Program, coordinator_a: User
) -> None:
    matches = silent(program_a, 2)

    run_job(jobs.check_no_contact, now=STARTED + dt.timedelta(days=90))

    subjects = OutboxMessage.objects.filter(recipient=coordinator_a).values_list(
        "subject", flat=True
    )
    assert sorted(subjects) == sorted(f"No contact on match #{match.pk}" for match in matches)
