"""The application asks since when as a month and a year, the day optional, and the program's
rule counts the months."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from alongside.core.calendar import add_months
from alongside.supporters.models import Application
from alongside.supporters.services import pipeline
from alongside.supporters.tests.test_views import answers


@pytest.fixture
def two_year_program(program_a):
    cache.clear()
    program_a.eligibility_rules = [
        {
            "kind": "lived_experience",
            "experiences": ["ms"],
            "relationships": ["self"],
            "minimum_years": 2,
        }
    ]
    program_a.save()
    pipeline.create_default_pipeline(program=program_a, created_by=None)
    return program_a


def apply(client, program, ms, since: dt.date, day: str = ""):
    return client.post(
        reverse("supporters:apply", args=[program.slug]),
        answers(ms, since_month=str(since.month), since_year=str(since.year), since_day=day),
        follow=True,
    )


def test_one_year_and_eleven_months_is_refused_with_the_reason(client, two_year_program, ms):
    since = add_months(timezone.localdate(), -23)

    page = apply(client, two_year_program, ms, since).text

    assert "for at least 2 years (you told us 1 year and 11 months)" in page
    assert Application.objects.get().experience_since == since.replace(day=1)


def test_two_years_and_no_month_more_is_eligible(client, two_year_program, ms):
    since = add_months(timezone.localdate(), -24)

    apply(client, two_year_program, ms, since)

    assert Application.objects.get().reasons == []


def test_the_day_is_kept_when_given(client, two_year_program, ms):
    since = add_months(timezone.localdate(), -30).replace(day=12)

    apply(client, two_year_program, ms, since, day="12")

    assert Application.objects.get().experience_since == since


def test_a_day_the_month_does_not_have_is_named_beside_the_day(client, two_year_program, ms):
    response = apply(client, two_year_program, ms, dt.date(2019, 2, 1), day="30")

    assert "That month has no such day." in response.text
    assert not Application.objects.exists()


def test_a_month_not_begun_yet_is_refused(client, two_year_program, ms):
    next_month = add_months(timezone.localdate(), 1)

    response = apply(client, two_year_program, ms, next_month)

    assert "that has already begun." in response.text  # the month, or in December the year
    assert not Application.objects.exists()


def test_this_month_is_the_programs_when_the_server_is_already_in_the_next(
    client, two_year_program, ms
):
    # 04:10 UTC on 1 December is 23:10 on 30 November in Toronto, the program's zone:
    # December has not begun for someone applying there.
    with time_machine.travel(dt.datetime(2026, 12, 1, 4, 10, tzinfo=dt.UTC), tick=False):
        response = apply(client, two_year_program, ms, dt.date(2026, 12, 1))

    assert "Please give a month that has already begun." in response.text
    assert not Application.objects.exists()
