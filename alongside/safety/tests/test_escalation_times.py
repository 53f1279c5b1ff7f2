"""An escalation raised at 2 a.m. is 2 a.m. to the supporter who raised it, on the page and in
the messages about it (not 7 a.m., the hour in UTC)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from alongside.accounts.models import User
from alongside.matches.models import Match
from alongside.notifications.models import Channel, OutboxMessage
from alongside.safety.models import Escalation, Urgency
from alongside.safety.services.escalations import acknowledge_escalation, resolve_escalation

pytestmark = pytest.mark.django_db

# 02:00 in Toronto on 15 January 2026: 07:00 UTC.
TWO_IN_THE_MORNING_IN_TORONTO = dt.datetime(2026, 1, 15, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def raised_at_2_am(client, match_a: Match, coordinator_a: User) -> Escalation:
    with time_machine.travel(TWO_IN_THE_MORNING_IN_TORONTO, tick=False):
        client.force_login(match_a.supporter.user)
        client.post(
            reverse("safety:raise_for_match", args=[match_a.pk]),
            {"urgency": Urgency.BEYOND_ROLE, "what_happened": "They asked for a coordinator."},
        )
    return Escalation.objects.get()


def test_the_supporter_who_raised_it_at_2_am_sees_2_am(client, raised_at_2_am):
    client.force_login(raised_at_2_am.raised_by)  # the session of January has expired

    page = client.get(reverse("safety:escalation_detail", args=[raised_at_2_am.pk])).content

    assert "at 01/15/2026 2 a.m." in page.decode()


def test_the_supporter_is_told_of_their_2_am_escalation_at_2_am(raised_at_2_am, coordinator_a):
    acknowledge_escalation(escalation=raised_at_2_am, actor=coordinator_a)
    resolve_escalation(escalation=raised_at_2_am, actor=coordinator_a, outcome="Called them.")

    told = OutboxMessage.objects.filter(recipient=raised_at_2_am.raised_by, channel=Channel.IN_APP)
    assert [message.body.split(", raised on ")[1][:20] for message in told] == [
        "2026-01-15 02:00 EST",
        "2026-01-15 02:00 EST",
    ]


def test_a_supporter_in_another_zone_is_told_in_theirs(raised_at_2_am, coordinator_a):
    raiser = raised_at_2_am.raised_by
    raiser.time_zone = "America/Vancouver"
    raiser.save()

    acknowledge_escalation(escalation=raised_at_2_am, actor=coordinator_a)

    message = OutboxMessage.objects.get(recipient=raiser)
    assert "raised on 2026-01-14 23:00 PST" in message.body
