"""The checks a program's settings pass before they are saved, each message naming its field.

Each check reads the program as it would be saved and answers the problems of the fields it
looks at, keyed by field name, so a page can show each message beside its field. A check runs
when any field it looks at changes: a shorter match is checked against the check-in months.
"""

import re
import zoneinfo
from collections.abc import Callable, Collection
from decimal import Decimal

import holidays
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from alongside.core.errors import DomainError
from alongside.programs.models import ContactMethod, Experience, Language, Program
from alongside.programs.rules import problems_of_rules

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class SettingsError(DomainError):
    """Settings refused; `errors` holds each message under the name of the field it is about."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(" ".join(message for messages in errors.values() for message in messages))
        self.errors = errors


Problems = dict[str, list[str]]


def _name(program: Program) -> Problems:
    if not program.name.strip():
        return {"name": [_("Give the program a name.")]}
    return {}


def _slug(program: Program) -> Problems:
    if not SLUG_PATTERN.match(program.slug) or len(program.slug) > 50:
        return {
            "slug": [
                _(
                    "The web address name may use only small letters, numbers and single "
                    "hyphens, up to 50 characters (for example ms-peer-support)."
                )
            ]
        }
    if Program.objects.filter(slug=program.slug).exclude(pk=program.pk).exists():
        return {
            "slug": [
                _("Another program already has the web address name “%(slug)s”.")
                % {"slug": program.slug}
            ]
        }
    return {}


def _choices(field: str, label: str, chosen: object, known: Collection[str]) -> Problems:
    if not isinstance(chosen, list) or not chosen:
        return {field: [_("%(label)s: choose at least one.") % {"label": label}]}
    unknown = [str(value) for value in chosen if value not in known]
    if unknown:
        return {
            field: [
                _("%(label)s: these are not among the choices: %(values)s.")
                % {"label": label, "values": ", ".join(unknown)}
            ]
        }
    if len(set(chosen)) != len(chosen):
        return {field: [_("%(label)s: choose each one once.") % {"label": label}]}
    return {}


def _languages(program: Program) -> Problems:
    return _choices("languages", _("Languages offered"), program.languages, Language.values)


def _contact_methods(program: Program) -> Problems:
    return _choices(
        "contact_methods", _("Contact methods"), program.contact_methods, ContactMethod.values
    )


def _time_zone(program: Program) -> Problems:
    if program.time_zone not in zoneinfo.available_timezones():
        return {
            "time_zone": [
                _(
                    "The time zone “%(zone)s” is not one we know; choose one such as "
                    "America/Toronto."
                )
                % {"zone": program.time_zone}
            ]
        }
    return {}


def _holidays(program: Program) -> Problems:
    supported = holidays.list_supported_countries()
    if program.country not in supported:
        return {
            "country": [
                _("We have no holiday calendar for the country “%(code)s”.")
                % {"code": program.country}
            ]
        }
    known = supported[program.country]
    if program.subdivision and program.subdivision not in known:
        return {
            "subdivision": [
                _(
                    "The province or state “%(code)s” is not one of %(country)s's in the "
                    "holiday calendar; choose one of %(known)s."
                )
                % {
                    "code": program.subdivision,
                    "country": program.country,
                    "known": ", ".join(known),
                }
            ]
        }
    return {}


def _whole(field: str, label: str, value: object, low: int, high: int) -> Problems:
    if not isinstance(value, int) or not low <= value <= high:
        return {
            field: [
                _("%(label)s must be a whole number from %(low)d to %(high)d.")
                % {"label": label, "low": low, "high": high}
            ]
        }
    return {}


def _numbers(program: Program) -> Problems:
    problems: Problems = {}
    for field, label, value, low, high in (
        ("sla_business_days", _("Days to match"), program.sla_business_days, 1, 30),
        ("supporter_commitment_months", _("Supporter commitment (months)"),
         program.supporter_commitment_months, 1, 120),
        ("acknowledge_within_minutes", _("Acknowledge urgent escalations within (minutes)"),
         program.acknowledge_within_minutes, 1, 24 * 60),
    ):  # fmt: skip
        problems |= _whole(field, label, value, low, high)
    if program.match_length_weeks is not None:
        problems |= _whole(
            "match_length_weeks", _("Match length (weeks)"), program.match_length_weeks, 1, 260
        )
    return problems


def _hours_band(program: Program) -> Problems:
    low, high = Decimal(program.expected_hours_min), Decimal(program.expected_hours_max)
    if low < 0:
        return {"expected_hours_min": [_("Expected hours a month cannot be below zero.")]}
    if high > 744:
        return {"expected_hours_max": [_("Expected hours a month cannot pass 744.")]}
    if low > high:
        return {
            "expected_hours_max": [
                _(
                    "The hours band's upper end (%(high)s) must not be below its lower end "
                    "(%(low)s)."
                )
                % {"high": f"{high:g}", "low": f"{low:g}"}
            ]
        }
    return {}


def _checkin_months(program: Program) -> Problems:
    months = program.checkin_months
    if not isinstance(months, list) or not all(
        isinstance(month, int) and 1 <= month <= 60 for month in months
    ):
        return {"checkin_months": [_("Check-ins: give whole months from 1 to 60, like 1, 3, 6.")]}
    if months != sorted(set(months)):
        return {
            "checkin_months": [
                _("Check-ins: list each month once, from the earliest to the latest.")
            ]
        }
    weeks = program.match_length_weeks
    # A year is 12 months and 52 weeks: a 26-week match has its 6-month check-in.
    late = [month for month in months if weeks is not None and month * 52 > weeks * 12]
    if late:
        return {
            "checkin_months": [
                _(
                    "Check-ins: month %(months)s falls after the end of a %(weeks)d-week match; "
                    "make the match longer or the check-ins earlier."
                )
                % {"months": ", ".join(str(month) for month in late), "weeks": weeks}
            ]
        }
    return {}


def _contact_email(program: Program) -> Problems:
    if not program.contact_email:
        return {}
    try:
        validate_email(program.contact_email)
    except ValidationError:
        return {"contact_email": [_("The program e-mail is not an e-mail address.")]}
    return {}


def _eligibility_rules(program: Program) -> Problems:
    if not isinstance(program.eligibility_rules, list):
        return {"eligibility_rules": [_("Eligibility rules must be a list of rules.")]}
    known = set(Experience.objects.values_list("slug", flat=True))
    problems = problems_of_rules(program.eligibility_rules, known_experiences=known)
    return {"eligibility_rules": problems} if problems else {}


# Each check and the fields it reads: it runs when any of them changes.
CHECKS: list[tuple[frozenset[str], Callable[[Program], Problems]]] = [
    (frozenset({"name"}), _name),
    (frozenset({"slug"}), _slug),
    (frozenset({"languages"}), _languages),
    (frozenset({"contact_methods"}), _contact_methods),
    (frozenset({"time_zone"}), _time_zone),
    (frozenset({"country", "subdivision"}), _holidays),
    (
        frozenset(
            {
                "sla_business_days",
                "supporter_commitment_months",
                "acknowledge_within_minutes",
                "match_length_weeks",
            }
        ),
        _numbers,
    ),
    (frozenset({"expected_hours_min", "expected_hours_max"}), _hours_band),
    (frozenset({"checkin_months", "match_length_weeks"}), _checkin_months),
    (frozenset({"contact_email"}), _contact_email),
    (frozenset({"eligibility_rules"}), _eligibility_rules),
]


def problems_of(program: Program, changed: Collection[str]) -> Problems:
    """The problems of the program's settings that a change of `changed` may have made."""
    problems: Problems = {}
    for fields, check in CHECKS:
        if fields & set(changed):
            for field, messages in check(program).items():
                problems.setdefault(field, []).extend(messages)
    return problems


def refuse_problems(program: Program, changed: Collection[str]) -> None:
    """Raises SettingsError with every problem of the change; then the model's own checks
    (the database's constraints, the crisis questions' shape) as the last word."""
    problems = problems_of(program, changed)
    if problems:
        raise SettingsError(problems)
    labels = {field.name: str(field.verbose_name) for field in Program._meta.concrete_fields}
    every_field = {field.name for field in Program._meta.get_fields()}
    try:
        program.full_clean(exclude=every_field - set(changed) - {"id"})
    except ValidationError as error:
        raise SettingsError(
            {
                field: [
                    f"{labels[field].capitalize()}: {message}" if field in labels else message
                    for message in messages
                ]
                for field, messages in error.message_dict.items()
            }
        ) from error
