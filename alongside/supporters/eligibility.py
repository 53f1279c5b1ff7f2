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


def whole_months_between(since: dt.date, today: dt.date) -> int:
    """Whole calendar months from `since` to `today`: 15 March to 14 April is 0, to 15 April 1.
    A date given as a month and a year is stored on the month's 1st, so it counts by month."""
    months = (today.year - since.year) * 12 + today.month - since.month
    return months - (1 if today.day < since.day else 0)


def duration_words(months: int) -> str:
    """'1 year and 11 months', '2 years', '5 months': how long, in the words people use."""
    years, rest = divmod(max(months, 0), 12)
    year_words = ngettext("%(count)d year", "%(count)d years", years) % {"count": years}
    month_words = ngettext("%(count)d month", "%(count)d months", rest) % {"count": rest}
    if years and rest:
        return _("%(years)s and %(months)s") % {"years": year_words, "months": month_words}
    return year_words if years else month_words


def _minimum_age(rule: MinimumAge, facts: ApplicantFacts) -> str | None:
    if facts.date_of_birth is not None and age_on(facts.date_of_birth, facts.today) >= rule.years:
        return None
    return ngettext(
        "supporters need to be at least %(years)d year old",
        "supporters need to be at least %(years)d years old",
        rule.years,
    ) % {"years": rule.years}


def _lived_experience(rule: LivedExperience, facts: ApplicantFacts) -> str | None:
    """Counted in whole months: a rule of 2 years needs 24 months, and 23 are refused."""
    needed_months = round(rule.minimum_years * 12)
    longest: int | None = None
    for fact in facts.experiences:
        if fact.slug not in rule.experiences and fact.family_slug not in rule.experiences:
            continue
        if fact.relationship not in rule.relationships:
            continue
        if needed_months == 0:
            return None
        if fact.since is not None:
            months = whole_months_between(fact.since, facts.today)
            if months >= needed_months:
                return None
            longest = months if longest is None else max(longest, months)
    names = ", ".join(facts.experience_names.get(slug, slug) for slug in rule.experiences)
    who = _relationship_words(rule.relationships)
    if needed_months:
        reason = _(
            "supporters need to have lived with %(names)s (%(who)s) for at least %(how_long)s"
        ) % {"names": names, "who": who, "how_long": duration_words(needed_months)}
        if longest is not None:
            reason += _(" (you told us %(how_long)s)") % {"how_long": duration_words(longest)}
        return reason
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
