"""A program's eligibility rules as people edit them: one row per rule, each checked by its kind.

The rules are stored in the shapes of `configuration.py`, where an "either/or" rule (`any_of`)
holds the rules of which one is enough. On the page, each rule is one row, and the rows that
share an either/or group letter are one `any_of`. The checks here are shared by the page's
form (a message beside the field) and the service (the rule that holds whatever the caller).
"""

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.programs.models import Relationship


class RuleKind(models.TextChoices):
    """The kinds of rule the eligibility engine (supporters.eligibility) knows."""

    MINIMUM_AGE = "minimum_age", gettext_lazy("A minimum age")
    LIVED_EXPERIENCE = "lived_experience", gettext_lazy("Lived experience")
    WORK_ROLE = "work_role", gettext_lazy("A role at work")
    SELF_ASSESSMENT = "self_assessment", gettext_lazy("A statement they agree with")


# The either/or groups a row may belong to: rows with the same letter are one rule.
GROUPS = ("A", "B", "C")

FIELD_LABELS: dict[str, Any] = {
    "kind": gettext_lazy("Kind of rule"),
    "group": gettext_lazy("Either/or group"),
    "years": gettext_lazy("Minimum age (years)"),
    "experiences": gettext_lazy("Experiences"),
    "relationships": gettext_lazy("How they lived it"),
    "minimum_years": gettext_lazy("For at least (years)"),
    "roles": gettext_lazy("Roles at work"),
    "statement": gettext_lazy("Statement"),
}

# The fields each kind of rule uses, beside its kind.
FIELDS_OF_KIND: dict[str, tuple[str, ...]] = {
    RuleKind.MINIMUM_AGE: ("years",),
    RuleKind.LIVED_EXPERIENCE: ("experiences", "relationships", "minimum_years"),
    RuleKind.WORK_ROLE: ("roles",),
    RuleKind.SELF_ASSESSMENT: ("statement",),
}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _minimum_age_problems(rule: Mapping[str, Any]) -> dict[str, str]:
    years = rule.get("years")
    if not isinstance(years, int) or isinstance(years, bool) or not 0 <= years <= 120:
        return {"years": _("Give the minimum age as whole years, from 0 to 120.")}
    return {}


def _lived_experience_problems(
    rule: Mapping[str, Any], known_experiences: Collection[str]
) -> dict[str, str]:
    problems: dict[str, str] = {}
    experiences = rule.get("experiences")
    if not isinstance(experiences, list) or not experiences:
        problems["experiences"] = _("Choose at least one experience.")
    elif unknown := [str(slug) for slug in experiences if slug not in known_experiences]:
        problems["experiences"] = _("These are not experiences we know: %(codes)s.") % {
            "codes": ", ".join(unknown)
        }
    relationships = rule.get("relationships")
    if not isinstance(relationships, list) or not relationships:
        problems["relationships"] = _("Choose at least one way they lived it.")
    elif any(item not in Relationship.values for item in relationships):
        problems["relationships"] = _("Choose among the ways listed.")
    minimum_years = rule.get("minimum_years", 0)
    if not _number(minimum_years) or not 0 <= minimum_years <= 80:
        problems["minimum_years"] = _("Give the years from 0 to 80 (0 when any time counts).")
    return problems


def _work_role_problems(rule: Mapping[str, Any]) -> dict[str, str]:
    roles = rule.get("roles")
    if not isinstance(roles, list) or not [role for role in roles if str(role).strip()]:
        return {"roles": _("Give at least one role, one a line.")}
    if any(not str(role).strip() or len(str(role)) > 100 for role in roles):
        return {"roles": _("Give each role on its own line, in 100 characters or fewer.")}
    return {}


def _self_assessment_problems(rule: Mapping[str, Any]) -> dict[str, str]:
    statement = rule.get("statement")
    if not isinstance(statement, str) or not 5 <= len(statement.strip()) <= 500:
        return {"statement": _("Write the statement in 5 to 500 characters.")}
    return {}


def problems_of_rule(
    rule: Mapping[str, Any], *, known_experiences: Collection[str]
) -> dict[str, str]:
    """What is wrong with one rule (not an either/or group), by the name of its field."""
    kind = rule.get("kind")
    if kind not in RuleKind.values:
        return {"kind": _("Choose the kind of rule.")}
    unused = set(rule) - {"kind", *FIELDS_OF_KIND[kind]}
    if unused:
        return {
            "kind": _("This kind of rule does not take: %(fields)s.")
            % {"fields": ", ".join(sorted(unused))}
        }
    if kind == RuleKind.MINIMUM_AGE:
        return _minimum_age_problems(rule)
    if kind == RuleKind.LIVED_EXPERIENCE:
        return _lived_experience_problems(rule, known_experiences)
    if kind == RuleKind.WORK_ROLE:
        return _work_role_problems(rule)
    return _self_assessment_problems(rule)


def _sentence(where: str, kind: str, field: str, problem: str) -> str:
    label = RuleKind(kind).label if kind in RuleKind.values else _("unknown kind")
    return _("%(where)s (%(kind)s), %(field)s: %(problem)s") % {
        "where": where,
        "kind": label,
        "field": FIELD_LABELS[field],
        "problem": problem,
    }


def problems_of_rules(
    rules: Sequence[Mapping[str, Any]], *, known_experiences: Collection[str]
) -> list[str]:
    """Every problem of a program's rules, each a sentence naming the rule and its field."""
    sentences = []
    for number, rule in enumerate(rules, start=1):
        if not isinstance(rule, Mapping):
            sentences.append(_("Rule %(number)d is not a rule.") % {"number": number})
            continue
        if rule.get("kind") != "any_of":
            for field, problem in problems_of_rule(
                rule, known_experiences=known_experiences
            ).items():
                where = _("Rule %(number)d") % {"number": number}
                sentences.append(_sentence(where, str(rule.get("kind")), field, problem))
            continue
        choices = rule.get("rules")
        if not isinstance(choices, list) or len(choices) < 2 or set(rule) != {"kind", "rules"}:
            sentences.append(
                _("Rule %(number)d is an either/or group with fewer than two rules in it.")
                % {"number": number}
            )
            continue
        for choice, inner in enumerate(choices, start=1):
            where = _("Rule %(number)d, choice %(choice)d") % {"number": number, "choice": choice}
            inner_rule = inner if isinstance(inner, Mapping) else {}
            problems = problems_of_rule(inner_rule, known_experiences=known_experiences)
            for field, problem in problems.items():
                sentences.append(_sentence(where, str(inner_rule.get("kind")), field, problem))
    return sentences


# ---- rows <-> rules ------------------------------------------------------------------------


def rows_from_rules(rules: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The page's rows for stored rules: an either/or rule gives one row per choice, each with
    the group's letter."""
    rows: list[dict[str, Any]] = []
    groups = iter(GROUPS)
    for rule in rules:
        if rule.get("kind") == "any_of":
            letter = next(groups, "")
            rows.extend({**inner, "group": letter} for inner in rule.get("rules", []))
        else:
            rows.append({**rule, "group": ""})
    return rows


def rules_from_rows(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The stored rules for the page's rows: the rows of one group become one either/or rule,
    where its first row stood. A group of a single row stays a rule of its own (the service
    does not see groups; the form says a group needs two rows)."""
    rules: list[dict[str, Any]] = []
    placed: dict[str, dict[str, Any]] = {}
    for row in rows:
        rule = {key: value for key, value in row.items() if key != "group"}
        letter = row.get("group") or ""
        if not letter:
            rules.append(rule)
        elif letter in placed:
            placed[letter]["rules"].append(rule)
        else:
            placed[letter] = {"kind": "any_of", "rules": [rule]}
            rules.append(placed[letter])
    return [
        rule["rules"][0] if rule["kind"] == "any_of" and len(rule["rules"]) == 1 else rule
        for rule in rules
    ]
