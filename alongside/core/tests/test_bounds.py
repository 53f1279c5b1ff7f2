"""Numbers and dates have bounds: a clear message beside the field, never a 500, nothing saved.

Birth years stop at this year, plans reach at most two years ahead, what has happened cannot
be in the future, and a number too large for the database (2**63) is an answer like any other
wrong one.
"""

import datetime as dt
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from alongside.core.forms import NOT_IN_FUTURE, PLANNING_HORIZON, WITHIN_PLANNING_HORIZON
from alongside.intake.models import SupportRequest
from alongside.matches.models import Match
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.resources.factories import ResourceFactory
from alongside.resources.models import ResourceCategory
from alongside.supporters.models import Application

HUGE = str(2**63)


def test_a_plan_may_reach_two_years_ahead_and_no_further():
    today = timezone.localdate()

    WITHIN_PLANNING_HORIZON(today + PLANNING_HORIZON)
    with pytest.raises(ValidationError, match="no later than"):
        WITHIN_PLANNING_HORIZON(today + PLANNING_HORIZON + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="1900 on"):
        WITHIN_PLANNING_HORIZON(dt.date(1899, 12, 31))


def test_what_has_happened_is_not_in_the_future():
    NOT_IN_FUTURE(timezone.localdate())
    NOT_IN_FUTURE(timezone.now())
    with pytest.raises(ValidationError, match="not in the future"):
        NOT_IN_FUTURE(timezone.localdate() + dt.timedelta(days=1))


def request_answers(ms, **overrides) -> dict[str, object]:
    return {
        "first_name": "Jordan",
        "email": "jordan.lee@example.net",
        "contact_methods": [ContactMethod.EMAIL],
        "language": Language.ENGLISH,
        "experience": str(ms.pk),
        "relationship": Relationship.SELF,
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    } | overrides


@pytest.mark.parametrize(
    "bad",
    [
        {"birth_year": "2100"},
        {"birth_year": HUGE},
        {"birth_year": "-" + HUGE},
        {"since_year": HUGE},
        {"submission_token": HUGE},
    ],
    ids=lambda bad: f"{next(iter(bad))}={next(iter(bad.values()))[:6]}",
)
def test_the_request_form_refuses_numbers_out_of_bounds(client, program_a, ms, bad):
    response = client.post(
        reverse("intake:request_support", args=[program_a.slug]), request_answers(ms, **bad)
    )

    assert response.status_code == 200
    assert "data-error-summary" in response.text
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    "bad", [{"since_year": HUGE}, {"date_of_birth": "9999-12-31"}, {"date_of_birth": HUGE}]
)
def test_the_application_form_refuses_numbers_and_dates_out_of_bounds(client, program_a, ms, bad):
    answers = {
        "first_name": "Alex",
        "email": "alex.applicant@example.org",
        "date_of_birth": "1985-06-01",
        "experience": str(ms.pk),
        "relationship": Relationship.SELF,
        "since_year": "2015",
        "consent": "on",
        "submission_token": str(uuid.uuid4()),
        "website": "",
    } | bad

    response = client.post(reverse("supporters:apply", args=[program_a.slug]), answers)

    assert response.status_code == 200
    assert "Please check these answers" in response.text
    assert not Application.objects.exists()


def test_a_match_cannot_be_extended_to_the_end_of_time(client, coordinator_a, match_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("matches:extend", args=[match_a.pk]), {"until": "9999-12-31"})

    assert response.status_code == 200
    assert "Please give a date no later than" in response.text
    assert Match.objects.get().planned_end_on != dt.date(9999, 12, 31)


def test_choosing_a_supporter_numbered_2_to_the_63_is_no_500(client, coordinator_a, request_a):
    client.force_login(coordinator_a)

    response = client.post(reverse("matches:start", args=[request_a.pk]), {"supporter": HUGE})

    assert response.status_code == 302
    assert not Match.objects.exists()


def test_a_contact_of_2_to_the_63_minutes_with_a_follow_up_in_9999_is_refused(
    client, supporter_a, match_a
):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("matches:log_contact", args=[match_a.pk]),
        {
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "was_made": "yes",
            "minutes": HUGE,
            "method": ContactMethod.PHONE,
            "follow_up_on": "9999-12-31",
        },
    )

    assert response.status_code == 200
    assert "Please give a date no later than" in response.text
    assert not match_a.contacts.exists()


def test_a_resource_cannot_be_last_reviewed_in_the_future(client, program_a, coordinator_a):
    resource = ResourceFactory(program=program_a)
    client.force_login(coordinator_a)

    response = client.post(
        reverse("resources:edit", args=[resource.pk]),
        {
            "program": program_a.pk,
            "name": "Peer café",
            "offers": "A weekly coffee",
            "category": ResourceCategory.HOUSING,
            "last_reviewed_on": "2031-01-01",
            "is_active": "on",
        },
    )

    assert response.status_code == 200
    assert "Please give a date that is not in the future." in response.text
    resource.refresh_from_db()
    assert resource.last_reviewed_on != dt.date(2031, 1, 1)


def test_a_supporter_cannot_offer_2_to_the_63_places(client, supporter_a):
    client.force_login(supporter_a.user)

    response = client.post(
        reverse("supporters:profile", args=[supporter_a.pk]),
        {
            "languages": supporter_a.languages,
            "contact_methods": supporter_a.contact_methods,
            "region": supporter_a.region,
            "time_zone": supporter_a.time_zone,
            "max_concurrent_matches": HUGE,
            "away_until": "9999-12-31",
        },
    )

    assert response.status_code == 200
    assert "Please give a date no later than" in response.text
    supporter_a.refresh_from_db()
    assert supporter_a.max_concurrent_matches < 100
