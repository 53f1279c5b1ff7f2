"""The lived-experience rule counts whole months: a person diagnosed 1 year and 11 months ago
does not meet a 2-year rule, and is told so; 2 years and 0 months does."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.core.calendar import add_months
from alongside.programs.configuration import eligibility_rules_adapter
from alongside.supporters.eligibility import (
    ApplicantFacts,
    ExperienceFact,
    reasons_not_eligible,
    whole_months_between,
)

TODAY = dt.date(2026, 3, 3)


def rules(minimum_years: float) -> list:
    return eligibility_rules_adapter.validate_python(
        [
            {
                "kind": "lived_experience",
                "experiences": ["ms"],
                "relationships": ["self"],
                "minimum_years": minimum_years,
            }
        ]
    )


def reasons(since: dt.date, today: dt.date = TODAY, minimum_years: float = 2) -> list[str]:
    facts = ApplicantFacts(
        today=today,
        experiences=(ExperienceFact("ms", "ms", "self", since),),
        experience_names={"ms": "Multiple sclerosis"},
    )
    return reasons_not_eligible(rules(minimum_years), facts)


def test_one_year_and_eleven_months_is_refused_with_the_reason():
    (reason,) = reasons(since=dt.date(2024, 4, 1))  # month and year given: April 2024

    assert reason == (
        "supporters need to have lived with Multiple sclerosis (themselves) for at least 2 years"
        " (you told us 1 year and 11 months)"
    )


def test_two_years_and_no_month_more_passes():
    assert reasons(since=dt.date(2024, 3, 1)) == []


def test_a_day_given_counts_the_month_only_once_it_is_reached():
    assert reasons(since=dt.date(2024, 3, 4)) != []  # 2 years less a day
    assert reasons(since=dt.date(2024, 3, 3)) == []


def test_a_half_year_rule_counts_six_months():
    assert reasons(since=dt.date(2025, 9, 1), minimum_years=0.5) == []
    assert reasons(since=dt.date(2025, 10, 1), minimum_years=0.5) != []


def test_whole_months_count_a_month_end_as_people_do():
    assert whole_months_between(dt.date(2024, 1, 31), dt.date(2024, 2, 29)) == 0
    assert whole_months_between(dt.date(2024, 1, 31), dt.date(2024, 3, 31)) == 2
    assert whole_months_between(dt.date(2024, 3, 1), dt.date(2026, 2, 28)) == 23


days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))


@settings(deadline=None)  # a loaded machine must not fail it on time alone
@given(today=days, years=st.integers(min_value=1, max_value=30), first=st.booleans())
def test_exactly_the_rules_months_ago_passes_and_one_month_fewer_is_refused(today, years, first):
    """Whatever today is, and whether the day was given or only the month: the month when the
    rule's full years have passed passes; the month after it is refused and says how long."""
    on_the_day = add_months(today, -12 * years)
    since = on_the_day.replace(day=1) if first else on_the_day
    one_month_short = add_months(since, 1)

    assert reasons(since=since, today=today, minimum_years=years) == []
    (reason,) = reasons(since=one_month_short, today=today, minimum_years=years)
    assert reason.endswith(f"(you told us {describe(12 * years - 1)})")


@settings(deadline=None)
@given(since=days, today=days)
def test_whole_months_never_run_ahead_of_the_calendar(since, today):
    months = whole_months_between(since, today)

    if today >= since:
        assert add_months(since, months) <= today
        assert add_months(since, months + 1) > today
    else:
        assert months <= 0


def describe(months: int) -> str:
    years, rest = divmod(months, 12)
    parts = [f"{years} year{'s' * (years != 1)}"] if years else []
    parts += [f"{rest} month{'s' * (rest != 1)}"] if rest else []
    return " and ".join(parts)
