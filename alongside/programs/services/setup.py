"""Setting a program up in pages: an administrator creates it; its coordinators change its
settings, one section at a time, and its sites (its team: services.team).

Every change is checked by `checks.refuse_problems` (each message naming its field) and audited
with the names of the fields it changed.
"""

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils.translation import gettext as _

from alongside.accounts.models import Role, User
from alongside.accounts.services import grant_role
from alongside.core.audit import record_event
from alongside.core.updates import update_and_audit
from alongside.programs.content import TranslatedContent, switch_main_language
from alongside.programs.models import Experience, Program, Site
from alongside.programs.services.checks import SettingsError, refuse_problems
from alongside.programs.services.translations import Phrases, Texts, checked_translations


@transaction.atomic
def create_program(
    *,
    by: User,
    name: str,
    slug: str,
    description: str,
    country: str,
    subdivision: str,
    time_zone: str,
    languages: list[str],
    contact_methods: list[str],
) -> Program:
    """Create a program that takes no requests and no applications yet (its settings open
    them); the administrator who creates it administers it."""
    program = Program(
        name=" ".join(name.split()),
        slug=slug.strip(),
        description=description.strip(),
        country=country.strip().upper(),
        subdivision=subdivision.strip().upper(),
        time_zone=time_zone.strip(),
        languages=list(languages),
        contact_methods=list(contact_methods),
        accepts_public_requests=False,
        accepts_phone_requests=False,
        accepts_referrals=False,
        recruits_supporters=False,
    )
    fields = ["name", "slug", "description", "country", "subdivision", "time_zone"]
    refuse_problems(program, [*fields, "languages", "contact_methods"])
    program.save()
    record_event(
        actor=by, action="programs.program.created", target=program, data={"slug": program.slug}
    )
    if not by.is_superuser:
        grant_role(user=by, program=program, role=Role.ADMINISTRATOR, granted_by=by)
    return program


def _change(
    *,
    program: Program,
    by: User,
    changes: dict[str, Any],
    translations: Texts | None = None,
    phrases: Phrases | None = None,
) -> Program:
    """Set, check, save and audit the changed settings of a locked, fresh copy of the program,
    with its texts in its other languages (`translations`, `phrases`) when given."""
    fresh = Program.objects.select_for_update().get(pk=program.pk)
    if translations or phrases:
        changes["translations"] = checked_translations(fresh, translations or {}, phrases=phrases)
    update_and_audit(
        instance=fresh,
        changes=changes,
        actor=by,
        action="programs.program.changed",
        check=lambda changed: refuse_problems(fresh, changed),
    )
    return fresh


@transaction.atomic
def change_general_settings(
    *,
    program: Program,
    by: User,
    name: str,
    description: str,
    experiences: list[Experience],
    accepts_public_requests: bool,
    accepts_phone_requests: bool,
    accepts_referrals: bool,
    recruits_supporters: bool,
    asks_work_role: bool,
    is_employer_blind: bool,
    contact_email: str,
    contact_phone: str,
    translations: Texts | None = None,
    experience_names: Mapping[Experience, Mapping[str, str]] | None = None,
) -> Program:
    """Change the program's name, description, the experiences it serves, its ways in,
    whether it takes applications from supporters and whether it is employer-blind (a request
    is hidden from the team members tied to the person's site); `translations` holds the name and
    description in its other languages, `experience_names` ({experience: {language: name}})
    the names of the experiences it serves in them."""
    changed = _change(
        program=program,
        by=by,
        changes={
            "name": " ".join(name.split()),
            "description": description.strip(),
            "accepts_public_requests": accepts_public_requests,
            "accepts_phone_requests": accepts_phone_requests,
            "accepts_referrals": accepts_referrals,
            "recruits_supporters": recruits_supporters,
            "asks_work_role": asks_work_role,
            "is_employer_blind": is_employer_blind,
            "contact_email": contact_email.strip(),
            "contact_phone": contact_phone.strip(),
        },
        translations=translations,
    )
    _set_experiences(program=changed, by=by, experiences=experiences)
    for experience, names in (experience_names or {}).items():
        name_experience(experience=experience, by=by, program=changed, names=names)
    return changed


def name_experience(
    *, experience: Experience, by: User, program: Program, names: Mapping[str, str]
) -> Experience:
    """Name a shared experience in `program`'s other languages ({language: name}); every
    program that serves it reads these names."""
    languages = [code for code in program.content_languages() if code != experience.main_language]
    fresh = Experience.objects.select_for_update().get(pk=experience.pk)
    texts = {language: {"name": name} for language, name in names.items()}
    update_and_audit(
        instance=fresh,
        changes={"translations": checked_translations(fresh, texts, languages=languages)},
        actor=by,
        action="programs.experience.renamed",
    )
    return fresh


def _set_experiences(*, program: Program, by: User, experiences: list[Experience]) -> None:
    if not experiences:
        raise SettingsError({"experiences": [_("Experiences served: choose at least one.")]})
    wanted = {experience.pk: experience for experience in experiences}
    current = set(program.experiences.values_list("pk", flat=True))
    if current == set(wanted):
        return
    program.experiences.set(list(wanted.values()))
    record_event(
        actor=by,
        action="programs.program.experiences_changed",
        target=program,
        data={
            "added": sorted(set(wanted) - current),
            "removed": sorted(current - set(wanted)),
        },
    )


@transaction.atomic
def change_languages_and_methods(
    *, program: Program, by: User, languages: list[str], contact_methods: list[str]
) -> Program:
    """Change the languages the program offers and the ways its supporters can be in touch.
    A new first language becomes the main one of all the program's texts (ADR 0004)."""
    old_main = program.main_language
    changed = _change(
        program=program,
        by=by,
        changes={"languages": list(languages), "contact_methods": list(contact_methods)},
    )
    if changed.main_language != old_main:
        _switch_main_language(program=changed, by=by, old=old_main)
    return changed


def _switch_main_language(*, program: Program, by: User, old: str) -> None:
    """Every text of the program (in any app: each model of translated content with a
    `program`) takes the new main language into its columns where it is written."""
    new = program.main_language
    if switch_main_language(program, old, new):
        program.save(update_fields=[*Program.translated_fields, "translations"])
    for model in apps.get_models():
        if not issubclass(model, TranslatedContent) or model is Program:
            continue
        if "program" not in {field.name for field in model._meta.get_fields()}:
            continue
        rows: Iterable[TranslatedContent] = model._default_manager.filter(**{"program": program})
        for row in rows:
            if switch_main_language(row, old, new):
                row.save(update_fields=[*model.translated_fields, "translations"])
    record_event(
        actor=by,
        action="programs.program.main_language_changed",
        target=program,
        data={"from": old, "to": new},
    )


@transaction.atomic
def change_eligibility_rules(
    *,
    program: Program,
    by: User,
    rules: list[dict[str, Any]],
    statements: Phrases | None = None,
) -> Program:
    """Replace the rules a supporter must meet; applications from now on are checked by them.
    `statements` holds the statements to agree with in the other languages,
    ``{language: {"statements": {statement: translation}}}``."""
    return _change(
        program=program,
        by=by,
        changes={"eligibility_rules": list(rules)},
        phrases=statements,
    )


@transaction.atomic
def change_schedule(
    *,
    program: Program,
    by: User,
    time_zone: str,
    country: str,
    subdivision: str,
    business_day_ends_at: dt.time,
    sla_business_days: int,
    match_length_weeks: int | None,
    is_goal_based: bool,
    checkin_months: list[int],
    supporter_commitment_months: int,
    expected_hours_min: Decimal,
    expected_hours_max: Decimal,
) -> Program:
    """Change the program's calendar (zone, holidays, business day), its promise of time to
    match and the shape of its matches. Requests already waiting keep the due time they had."""
    return _change(
        program=program,
        by=by,
        changes={
            "time_zone": time_zone.strip(),
            "country": country.strip().upper(),
            "subdivision": subdivision.strip().upper(),
            "business_day_ends_at": business_day_ends_at,
            "sla_business_days": sla_business_days,
            "match_length_weeks": match_length_weeks,
            "is_goal_based": is_goal_based,
            "checkin_months": list(checkin_months),
            "supporter_commitment_months": supporter_commitment_months,
            "expected_hours_min": expected_hours_min,
            "expected_hours_max": expected_hours_max,
        },
    )


@transaction.atomic
def change_safety_settings(
    *,
    program: Program,
    by: User,
    crisis_message: str,
    acknowledge_within_minutes: int,
    translations: Texts | None = None,
    questions: Phrases | None = None,
) -> Program:
    """Change the crisis lines shown on the request form and how soon urgent escalations must
    be acknowledged; `translations` holds the crisis lines in the other languages, `questions`
    the crisis questions and answers in them (`questions.crisis_phrases`)."""
    return _change(
        program=program,
        by=by,
        changes={
            "crisis_message": crisis_message.strip(),
            "acknowledge_within_minutes": acknowledge_within_minutes,
        },
        translations=translations,
        phrases=questions,
    )


@transaction.atomic
def change_reporting(
    *, program: Program, by: User, report_minimum_count: int, reported_demographics: list[str]
) -> Program:
    """Change the smallest count of people a report shows and the demographics it counts."""
    return _change(
        program=program,
        by=by,
        changes={
            "report_minimum_count": report_minimum_count,
            "reported_demographics": list(reported_demographics),
        },
    )


@transaction.atomic
def change_crisis_questions(
    *, program: Program, by: User, questions: list[dict[str, Any]]
) -> Program:
    """Replace the questions a coordinator asks first when taking a request by phone; an
    answer among a question's crisis answers shows the crisis lines at once."""
    return _change(program=program, by=by, changes={"crisis_questions": list(questions)})


# ---- Sites ----------------------------------------------------------------------------------


def _check_site(site: Site) -> None:
    if not site.name:
        raise SettingsError({"name": [_("Give the site a name.")]})
    others = Site.objects.filter(program_id=site.program_id).exclude(pk=site.pk)
    if others.filter(name__iexact=site.name).exists():
        raise SettingsError(
            {"name": [_("The program already has a site called “%(name)s”.") % {"name": site.name}]}
        )


@transaction.atomic
def add_site(*, program: Program, by: User, name: str, kind: str, region: str) -> Site:
    """Add a place or team to the program (a hospital, a community team, a region)."""
    Program.objects.select_for_update().get(pk=program.pk)
    site = Site(program=program, name=" ".join(name.split()), kind=kind, region=region.strip())
    _check_site(site)
    site.save()
    record_event(actor=by, action="programs.site.added", target=site)
    return site


@transaction.atomic
def change_site(*, site: Site, by: User, name: str, kind: str, region: str) -> Site:
    """Rename a site or change its kind or region; people and requests keep their site."""
    Program.objects.select_for_update().get(pk=site.program_id)
    site = Site.objects.get(pk=site.pk)
    update_and_audit(
        instance=site,
        changes={"name": " ".join(name.split()), "kind": kind, "region": region.strip()},
        actor=by,
        action="programs.site.changed",
        check=lambda _changed: _check_site(site),
    )
    return site
