"""The eligibility rules engine: each kind of rule, `any_of`, and properties over applicants."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from alongside.programs.configuration import eligibility_rules_adapter
from alongside.supporters.eligibility import (
    ApplicantFacts,
    ExperienceFact,
    age_on,
    reasons_not_eligible,
)

TODAY = dt.date(2026, 3, 3)
MS_RULES = eligibility_rules_adapter.validate_python(
    [
        {"kind": "minimum_age", "years": 18},
        {
            "kind": "any_of",
            "rules": [
                {
                    "kind": "lived_experience",
                    "experiences": ["ms"],
                    "relationships": ["self"],
                    "minimum_years": 2,
                },
                {
                    "kind": "lived_experience",
                    "experiences": ["ms"],
                    "relationships": ["family"],
                },
            ],
        },
        {"kind": "self_assessment", "statement": "I am at a place where I can support others."},
    ]
)


def ms_fact(relationship: str = "self", years: float = 5, slug: str = "ms") -> ExperienceFact:
    return ExperienceFact(
        slug=slug,
        family_slug="ms",
        relationship=relationship,
        since=TODAY - dt.timedelta(days=round(years * 365.25)),
    )


def facts(**changes: object) -> ApplicantFacts:
    fields: dict[str, object] = {
        "today": TODAY,
        "date_of_birth": dt.date(1980, 1, 1),
        "experiences": (ms_fact(),),
        "self_assessed": True,
        "experience_names": {"ms": "Multiple sclerosis"},
    }
    fields.update(changes)
    return ApplicantFacts(**fields)  # type: ignore[arg-type]


def test_an_adult_living_with_ms_for_five_years_who_feels_ready_is_eligible():
    assert reasons_not_eligible(MS_RULES, facts()) == []


def test_a_seventeen_year_old_is_told_the_age_rule():
    born = dt.date(TODAY.year - 17, TODAY.month, TODAY.day)

    assert reasons_not_eligible(MS_RULES, facts(date_of_birth=born)) == [
        "supporters need to be at least 18 years old"
    ]


def test_someone_turning_eighteen_today_is_old_enough():
    born = dt.date(TODAY.year - 18, TODAY.month, TODAY.day)

    assert reasons_not_eligible(MS_RULES, facts(date_of_birth=born)) == []


def test_a_birthday_on_29_february_counts_from_1_march_in_other_years():
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 2, 28)) == 17
    assert age_on(dt.date(2008, 2, 29), dt.date(2026, 3, 1)) == 18


def test_living_with_ms_for_one_year_is_not_enough_and_the_reason_names_both_ways_in():
    (reason,) = reasons_not_eligible(MS_RULES, facts(experiences=(ms_fact(years=1),)))

    assert reason.startswith("one of these must be true:")
    assert "Multiple sclerosis (themselves) for at least 2 years" in reason
    assert "as a family member or caregiver" in reason


def test_a_caregiver_of_someone_with_ms_is_eligible_whatever_the_years():
    caregiver = facts(experiences=(ms_fact(relationship="family", years=0.2),))

    assert reasons_not_eligible(MS_RULES, caregiver) == []


def test_an_allied_disease_counts_with_ms():
    allied = facts(experiences=(ms_fact(slug="nmosd"),))

    assert reasons_not_eligible(MS_RULES, allied) == []


def test_a_person_who_does_not_feel_ready_is_told_the_statement():
    assert reasons_not_eligible(MS_RULES, facts(self_assessed=False)) == [
        "supporters need to be able to say: “I am at a place where I can support others.”"
    ]


def test_a_missing_date_of_birth_does_not_meet_an_age_rule():
    assert reasons_not_eligible(MS_RULES, facts(date_of_birth=None)) == [
        "supporters need to be at least 18 years old"
    ]


def test_the_work_role_rule_accepts_a_listed_role_whatever_its_case():
    rules = eligibility_rules_adapter.validate_python(
        [{"kind": "work_role", "roles": ["Nurse", "Physician"]}]
    )

    assert reasons_not_eligible(rules, facts(work_role="registered nurse")) == []
    assert reasons_not_eligible(rules, facts(work_role="accountant")) == [
        "this network is for people working as: Nurse, Physician"
    ]


def test_no_rules_means_everyone_is_eligible():
    assert reasons_not_eligible([], facts(date_of_birth=None, experiences=())) == []


@settings(max_examples=60, deadline=None)
@given(
    born=st.dates(min_value=dt.date(1920, 1, 1), max_value=TODAY),
    years=st.integers(min_value=0, max_value=100),
)
def test_the_age_rule_holds_exactly_when_the_person_has_had_that_birthday(born, years):
    rules = eligibility_rules_adapter.validate_python([{"kind": "minimum_age", "years": years}])
    eligible = not reasons_not_eligible(rules, facts(date_of_birth=born))

    try:
        birthday = born.replace(year=born.year + years)
    except ValueError:  # 29 February in a year without one: the birthday is 1 March
        birthday = dt.date(born.year + years, 3, 1)
    assert eligible == (birthday <= TODAY)


@settings(max_examples=60, deadline=None)
@given(
    relationship=st.sampled_from(["self", "family", "colleague"]),
    days=st.integers(min_value=0, max_value=365 * 10),
    self_assessed=st.booleans(),
)
def test_more_years_of_experience_never_make_someone_ineligible(relationship, days, self_assessed):
    since = TODAY - dt.timedelta(days=days)
    fewer = facts(
        experiences=(ExperienceFact("ms", "ms", relationship, since),),
        self_assessed=self_assessed,
    )
    more = facts(
        experiences=(ExperienceFact("ms", "ms", relationship, since - dt.timedelta(days=400)),),
        self_assessed=self_assessed,
    )

    assert len(reasons_not_eligible(MS_RULES, more)) <= len(reasons_not_eligible(MS_RULES, fewer))


@settings(max_examples=60, deadline=None)
@given(
    old_enough=st.booleans(),
    has_experience=st.booleans(),
    self_assessed=st.booleans(),
)
def test_there_is_one_reason_for_each_rule_not_met(old_enough, has_experience, self_assessed):
    applicant = facts(
        date_of_birth=dt.date(1980, 1, 1) if old_enough else dt.date(2015, 1, 1),
        experiences=(ms_fact(),) if has_experience else (),
        self_assessed=self_assessed,
    )

    reasons = reasons_not_eligible(MS_RULES, applicant)

    assert len(reasons) == [old_enough, has_experience, self_assessed].count(False)
