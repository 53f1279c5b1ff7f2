"""The eligibility rules engine: pure functions over a program's rules and an applicant's facts.

Each rule that does not hold gives one kind, specific sentence for the applicant. No ORM here,
so the rules can be tested exhaustively (see tests/test_eligibility.py).
"""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from alongside.programs.configuration import (
    AnyOf,
    EligibilityRule,
    LivedExperience,
    MinimumAge,
    SelfAssessment,
    WorkRole,
)

DAYS_PER_YEAR = 365.2425


@dataclass(frozen=True)
class ExperienceFact:
    """One experience the applicant told us about: its code, what it counts with, since when."""

    slug: str
    family_slug: str
    relationship: str
    since: dt.date | None


@dataclass(frozen=True)
class ApplicantFacts:
    today: dt.date
    date_of_birth: dt.date | None = None
    experiences: tuple[ExperienceFact, ...] = ()
    work_role: str = ""
    self_assessed: bool = False
    # Experience code -> its name, to name experiences in the reasons.
    experience_names: Mapping[str, str] = field(default_factory=dict)


def age_on(date_of_birth: dt.date, today: dt.date) -> int:
    """Whole years between a birth date and a day (a birthday on 29 February counts on 1 March)."""
    had_birthday = (today.month, today.day) >= (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - (0 if had_birthday else 1)


def years_between(since: dt.date, today: dt.date) -> float:
    return (today - since).days / DAYS_PER_YEAR


def _minimum_age(rule: MinimumAge, facts: ApplicantFacts) -> str | None:
    if facts.date_of_birth is not None and age_on(facts.date_of_birth, facts.today) >= rule.years:
        return None
    return ngettext(
        "supporters need to be at least %(years)d year old",
        "supporters need to be at least %(years)d years old",
        rule.years,
    ) % {"years": rule.years}


def _lived_experience(rule: LivedExperience, facts: ApplicantFacts) -> str | None:
    for fact in facts.experiences:
        if fact.slug not in rule.experiences and fact.family_slug not in rule.experiences:
            continue
        if fact.relationship not in rule.relationships:
            continue
        if rule.minimum_years == 0:
            return None
        if fact.since is not None and years_between(fact.since, facts.today) >= rule.minimum_years:
            return None
    names = ", ".join(facts.experience_names.get(slug, slug) for slug in rule.experiences)
    who = _relationship_words(rule.relationships)
    if rule.minimum_years:
        return _(
            "supporters need to have lived with %(names)s (%(who)s) for at least %(years)s years"
        ) % {"names": names, "who": who, "years": f"{rule.minimum_years:g}"}
    return _("supporters need to have lived with %(names)s (%(who)s)") % {
        "names": names,
        "who": who,
    }


def _relationship_words(relationships: Sequence[str]) -> str:
    words = {
        "self": _("themselves"),
        "family": _("as a family member or caregiver"),
        "colleague": _("as a colleague"),
    }
    return _(" or ").join(words[item] for item in relationships)


def _work_role(rule: WorkRole, facts: ApplicantFacts) -> str | None:
    given = facts.work_role.strip().casefold()
    if given and any(role.casefold() in given or given in role.casefold() for role in rule.roles):
        return None
    return _("this network is for people working as: %(roles)s") % {"roles": ", ".join(rule.roles)}


def _self_assessment(rule: SelfAssessment, facts: ApplicantFacts) -> str | None:
    if facts.self_assessed:
        return None
    return _("supporters need to be able to say: “%(statement)s”") % {"statement": rule.statement}


def _any_of(rule: AnyOf, facts: ApplicantFacts) -> str | None:
    unmet = [unmet_rule(inner, facts) for inner in rule.rules]
    if any(reason is None for reason in unmet):
        return None
    return _("one of these must be true: %(reasons)s") % {
        "reasons": _("; or ").join(reason for reason in unmet if reason)
    }


def unmet_rule(rule: EligibilityRule, facts: ApplicantFacts) -> str | None:
    """The reason `rule` does not hold for the applicant, or None when it holds."""
    match rule:
        case MinimumAge():
            return _minimum_age(rule, facts)
        case LivedExperience():
            return _lived_experience(rule, facts)
        case WorkRole():
            return _work_role(rule, facts)
        case SelfAssessment():
            return _self_assessment(rule, facts)
        case AnyOf():
            return _any_of(rule, facts)
    raise AssertionError(f"unknown rule {rule!r}")  # pragma: no cover


def reasons_not_eligible(rules: Sequence[EligibilityRule], facts: ApplicantFacts) -> list[str]:
    """Every rule the applicant does not meet, each as a sentence; empty when eligible."""
    return [reason for rule in rules if (reason := unmet_rule(rule, facts)) is not None]
