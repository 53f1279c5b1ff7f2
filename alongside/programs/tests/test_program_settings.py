"""A program's settings are data a coordinator edits; saving checks them with clear messages."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from alongside.programs.factories import ProgramFactory
from alongside.programs.models import ContactMethod, Language

pytestmark = pytest.mark.django_db

CAREGIVER_OR_LIVED = [
    {
        "kind": "any_of",
        "rules": [
            {
                "kind": "lived_experience",
                "experiences": ["ms"],
                "relationships": ["self"],
                "minimum_years": 2,
            },
            {"kind": "lived_experience", "experiences": ["ms"], "relationships": ["family"]},
        ],
    },
    {"kind": "minimum_age", "years": 18},
    {"kind": "self_assessment", "statement": "I feel ready to listen to others."},
]


def errors_of(**settings) -> dict[str, list[str]]:
    """The messages full_clean gives for a program with these settings, by field."""
    program = ProgramFactory.build(**settings)
    with pytest.raises(ValidationError) as refused:
        program.full_clean()
    return refused.value.message_dict


def test_a_program_made_by_the_factory_is_valid():
    ProgramFactory.build().full_clean()


def test_well_formed_eligibility_rules_are_accepted():
    ProgramFactory.build(eligibility_rules=CAREGIVER_OR_LIVED).full_clean()


def test_a_program_in_a_us_state_is_accepted():
    ProgramFactory.build(country="US", subdivision="MA", time_zone="America/New_York").full_clean()


def test_a_country_without_a_holiday_calendar_is_refused():
    assert errors_of(country="XX", subdivision="")["country"] == [
        "We have no holiday calendar for this country."
    ]


def test_a_province_the_country_does_not_have_is_refused():
    assert errors_of(country="CA", subdivision="MA")["subdivision"] == [
        "“MA” is not a province or state of this country."
    ]


def test_an_unknown_time_zone_is_refused():
    assert errors_of(time_zone="America/Atlantis")["time_zone"] == [
        "“America/Atlantis” is not a time zone we know."
    ]


def test_an_hours_band_upside_down_is_refused():
    errors = errors_of(expected_hours_min=Decimal(6), expected_hours_max=Decimal(2))

    assert errors["expected_hours_max"] == [
        "The upper end of the hours band must not be below the lower end."
    ]


def test_an_equal_hours_band_is_accepted():
    ProgramFactory.build(expected_hours_min=Decimal(3), expected_hours_max=Decimal(3)).full_clean()


@pytest.mark.parametrize(
    ("rules", "named"),
    [
        ([{"kind": "horoscope"}], "Rule 0"),
        ([{"kind": "minimum_age", "years": -3}], "Rule 0 > minimum_age > years"),
        ([{"kind": "minimum_age"}], "Rule 0 > minimum_age > years"),
        (
            [{"kind": "minimum_age", "years": 18}, {"kind": "minimum_age", "years": 200}],
            "Rule 1 > minimum_age > years",
        ),
        (
            [{"kind": "lived_experience", "experiences": [], "relationships": ["self"]}],
            "Rule 0 > lived_experience > experiences",
        ),
        (
            [{"kind": "lived_experience", "experiences": ["ms"], "relationships": ["neighbour"]}],
            "Rule 0 > lived_experience > relationships",
        ),
        ([{"kind": "self_assessment", "statement": "ok"}], "Rule 0 > self_assessment > statement"),
        (
            [{"kind": "work_role", "roles": ["nurse"], "colour": "red"}],
            "Rule 0 > work_role > colour",
        ),
        (
            [{"kind": "any_of", "rules": [{"kind": "minimum_age", "years": 18}]}],
            "Rule 0 > any_of > rules",
        ),
        ({"kind": "minimum_age", "years": 18}, "Rule"),
    ],
    ids=[
        "unknown kind",
        "negative age",
        "missing age",
        "second rule",
        "no experiences",
        "unknown relationship",
        "statement too short",
        "unexpected key",
        "any_of with one rule",
        "not a list",
    ],
)
def test_malformed_eligibility_rules_are_refused_naming_the_rule(rules, named):
    (message,) = errors_of(eligibility_rules=rules)["eligibility_rules"]

    assert message.startswith(named)


def test_an_unknown_language_is_refused():
    assert errors_of(languages=[Language.ENGLISH, "klingon"])["languages"] == [
        "These are not among the choices: klingon."
    ]


def test_an_unknown_contact_method_is_refused():
    assert errors_of(contact_methods=[ContactMethod.PHONE, "pigeon"])["contact_methods"] == [
        "These are not among the choices: pigeon."
    ]


@pytest.mark.parametrize("field", ["languages", "contact_methods"])
def test_a_program_must_offer_at_least_one_language_and_contact_method(field):
    assert field in errors_of(**{field: []})


def test_a_match_length_beyond_five_years_is_refused():
    assert "match_length_weeks" in errors_of(match_length_weeks=261)


def test_an_sla_beyond_thirty_business_days_is_refused():
    assert "sla_business_days" in errors_of(sla_business_days=31)


def test_every_problem_is_reported_at_once():
    errors = errors_of(
        country="XX", time_zone="Nowhere", languages=["xx"], eligibility_rules=[{"kind": "?"}]
    )

    assert {"country", "time_zone", "languages", "eligibility_rules"} <= set(errors)


def test_the_business_calendar_follows_the_programs_settings():
    program = ProgramFactory.build(
        country="US",
        subdivision="MA",
        time_zone="America/New_York",
        business_day_ends_at=dt.time(16),
    )

    calendar = program.calendar
    assert (calendar.country, calendar.subdivision, calendar.time_zone) == (
        "US",
        "MA",
        "America/New_York",
    )
    assert calendar.day_ends_at == dt.time(16)
    assert calendar.holiday_name(dt.date(2026, 4, 20)) == "Patriots' Day"
