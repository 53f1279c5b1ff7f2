"""A lived experience on the profile is dated by month and year, the day optional, as the
application asks it: a year alone is not enough."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from alongside.core.calendar import add_months
from alongside.supporters.forms.profile import LivedExperienceForm
from alongside.supporters.models import LivedExperience


def experience_form(supporter, ms, **since):
    data = {"experience-experience": ms.pk, "experience-relationship": "self"}
    data |= {f"experience-since_{part}": value for part, value in since.items()}
    return LivedExperienceForm(data, supporter=supporter)


def test_a_month_and_a_year_give_the_months_first_day(supporter_a, ms):
    form = experience_form(supporter_a, ms, month="3", year="2018")

    assert form.is_valid(), form.errors
    assert form.since() == dt.date(2018, 3, 1)


def test_a_day_when_known_is_kept(supporter_a, ms):
    form = experience_form(supporter_a, ms, month="3", year="2018", day="15")

    assert form.is_valid(), form.errors
    assert form.since() == dt.date(2018, 3, 15)


def test_since_may_be_left_empty(supporter_a, ms):
    form = experience_form(supporter_a, ms)

    assert form.is_valid(), form.errors
    assert form.since() is None


def test_a_year_alone_asks_for_the_month(supporter_a, ms):
    form = experience_form(supporter_a, ms, year="2018")

    assert not form.is_valid()
    assert form.errors["since_month"] == ["Please choose the month too."]


def test_a_month_alone_asks_for_the_year(supporter_a, ms):
    form = experience_form(supporter_a, ms, month="3")

    assert not form.is_valid()
    assert form.errors["since_year"] == ["Please give the year too."]


def test_a_day_the_month_does_not_have_is_refused_on_the_day(supporter_a, ms):
    form = experience_form(supporter_a, ms, month="2", year="2019", day="30")

    assert not form.is_valid()
    assert form.errors["since_day"] == ["That month has no such day."]


def test_a_month_not_yet_begun_is_refused(supporter_a, ms):
    next_month = add_months(timezone.localdate().replace(day=1), 1)
    form = experience_form(supporter_a, ms, month=str(next_month.month), year=str(next_month.year))

    assert not form.is_valid()
    if next_month.year > timezone.localdate().year:  # in December: next year is refused
        assert form.errors["since_year"] == ["Please give a year that has already begun."]
    else:
        assert form.errors["since_month"] == ["Please give a month that has already begun."]


def test_the_profile_asks_the_month_and_shows_it_on_the_experience(client, supporter_a, ms):
    client.force_login(supporter_a.user)
    add = reverse("supporters:add_experience", args=[supporter_a.pk])

    refused = client.post(
        add,
        {
            "experience-experience": ms.pk,
            "experience-relationship": "family",
            "experience-since_year": "2018",
        },
    )
    assert refused.status_code == 200
    assert "Please choose the month too." in refused.text
    assert not LivedExperience.objects.filter(relationship="family").exists()

    client.post(
        add,
        {
            "experience-experience": ms.pk,
            "experience-relationship": "family",
            "experience-since_month": "3",
            "experience-since_year": "2018",
        },
    )
    page = client.get(reverse("supporters:profile", args=[supporter_a.pk])).text

    assert LivedExperience.objects.get(relationship="family").since == dt.date(2018, 3, 1)
    assert "Since when? The month (optional)" in page
    assert "since March 2018" in page
