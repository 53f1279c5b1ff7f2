"""A contact is kept at the moment it happened and shown in each reader's own time zone."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role
from alongside.matches.factories import MatchFactory
from alongside.matches.models import ContactLog, SupportType
from alongside.programs.models import ContactMethod

pytestmark = pytest.mark.django_db

# 22:00 in Toronto on 15 January 2026 (03:00 UTC on the 16th).
LATE_EVENING_IN_TORONTO = dt.datetime(2026, 1, 16, 3, 0, tzinfo=dt.UTC)


@pytest.fixture
def contact_at_20_21(client, program_a, supporter_a, ms) -> ContactLog:
    """Logged on the page by the supporter, whose program is in Toronto: 20:21 that evening."""
    with time_machine.travel(LATE_EVENING_IN_TORONTO, tick=False):
        match = MatchFactory(program=program_a, supporter=supporter_a, request__experience=ms)
        client.force_login(supporter_a.user)
        client.post(
            reverse("matches:log_contact", args=[match.pk]),
            {
                "occurred_at": "2026-01-15T20:21",
                "was_made": "yes",
                "minutes": "30",
                "method": ContactMethod.PHONE,
                "support_types": [SupportType.EMOTIONAL],
                "note": "We talked.",
            },
        )
    client.logout()
    return ContactLog.objects.get(match=match)


def test_a_contact_entered_at_20_21_in_toronto_is_kept_as_that_moment(contact_at_20_21):
    assert contact_at_20_21.occurred_at == dt.datetime(2026, 1, 16, 1, 21, tzinfo=dt.UTC)


def test_a_reader_in_toronto_sees_8_21_pm(client, contact_at_20_21, coordinator_a):
    client.force_login(coordinator_a)

    page = client.get(reverse("matches:detail", args=[contact_at_20_21.match_id])).content

    assert "Jan. 15, 2026, 8:21 p.m." in page.decode()


def test_a_reader_in_vancouver_sees_5_21_pm(client, contact_at_20_21, program_a):
    reader = user_with_role(Role.COORDINATOR, program_a, time_zone="America/Vancouver")
    client.force_login(reader)

    page = client.get(reverse("matches:detail", args=[contact_at_20_21.match_id])).content

    assert "Jan. 15, 2026, 5:21 p.m." in page.decode()
    assert "8:21 p.m." not in page.decode()
