"""Setting a demo program up the way an administrator does in the setup pages: create it, then
change its settings section by section, and add its sites, all through the programs services."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from alongside.accounts.models import User
from alongside.demo.shared import Seeder
from alongside.programs.models import Experience, Program, Site
from alongside.programs.questions import ANSWERS, QUESTIONS, STATEMENTS
from alongside.programs.services import (
    add_site,
    change_crisis_questions,
    change_eligibility_rules,
    change_general_settings,
    change_reporting,
    change_safety_settings,
    change_schedule,
    create_program,
)


@dataclass(frozen=True)
class ProgramSetup:
    """Every setting a demo program has, as the setup pages ask for them."""

    slug: str
    name: str
    description: str
    country: str
    subdivision: str
    time_zone: str
    languages: Sequence[str]
    contact_methods: Sequence[str]
    experiences: Sequence[Experience]
    accepts_public_requests: bool
    accepts_phone_requests: bool
    accepts_referrals: bool
    recruits_supporters: bool
    contact_email: str
    contact_phone: str
    eligibility_rules: Sequence[dict[str, Any]]
    sla_business_days: int
    match_length_weeks: int | None
    is_goal_based: bool
    checkin_months: Sequence[int]
    supporter_commitment_months: int
    expected_hours: tuple[Decimal, Decimal]
    crisis_message: str
    asks_work_role: bool = False
    # A request is hidden from the team members tied to the person's site (a network of
    # health-care workers asking about their employer).
    is_employer_blind: bool = False
    # Asked first when a coordinator takes a request by phone.
    crisis_questions: Sequence[dict[str, Any]] = ()
    # The program's texts in its other languages, as its settings pages take them (ADR 0004):
    # {language: {"name"|"description"|"crisis_message": text}}; the crisis questions' and
    # answers' and the statements' {language: {group: {key: text}}}; the experiences' names
    # {slug: {language: name}}.
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    phrases: Mapping[str, Mapping[str, Mapping[str, str]]] = field(default_factory=dict)
    experience_names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # What the funder report counts by group (a health-care network adds its employers).
    reported_demographics: Sequence[str] = ("gender", "age_group", "language", "source")


def _texts(setup: ProgramSetup, *fields: str) -> dict[str, dict[str, str]]:
    """The translations of `fields` only, for the settings section that holds them."""
    return {
        language: {name: text for name, text in texts.items() if name in fields}
        for language, texts in setup.translations.items()
    }


def _phrases(setup: ProgramSetup, *groups: str) -> dict[str, dict[str, Mapping[str, str]]]:
    return {
        language: {group: keyed for group, keyed in phrases.items() if group in groups}
        for language, phrases in setup.phrases.items()
    }


def set_up_program(seeder: Seeder, setup: ProgramSetup) -> Program:
    """Create the program as the demo administrator and give it its settings, one section at
    a time (each section checked by the service)."""
    by = seeder.by
    program = create_program(
        by=by,
        name=setup.name,
        slug=setup.slug,
        description=setup.description,
        country=setup.country,
        subdivision=setup.subdivision,
        time_zone=setup.time_zone,
        languages=list(setup.languages),
        contact_methods=list(setup.contact_methods),
    )
    _set_general(program, by, setup)
    change_eligibility_rules(
        program=program,
        by=by,
        rules=list(setup.eligibility_rules),
        statements=_phrases(setup, STATEMENTS),
    )
    _set_schedule(program, by, setup)
    if setup.crisis_questions:
        change_crisis_questions(program=program, by=by, questions=list(setup.crisis_questions))
    change_safety_settings(
        program=program,
        by=by,
        crisis_message=setup.crisis_message,
        acknowledge_within_minutes=program.acknowledge_within_minutes,
        translations=_texts(setup, "crisis_message"),
        questions=_phrases(setup, QUESTIONS, ANSWERS),
    )
    change_reporting(
        program=program,
        by=by,
        report_minimum_count=program.report_minimum_count,
        reported_demographics=list(setup.reported_demographics),
    )
    return Program.objects.get(pk=program.pk)


def _set_general(program: Program, by: User, setup: ProgramSetup) -> None:
    change_general_settings(
        program=program,
        by=by,
        name=setup.name,
        description=setup.description,
        experiences=list(setup.experiences),
        accepts_public_requests=setup.accepts_public_requests,
        accepts_phone_requests=setup.accepts_phone_requests,
        accepts_referrals=setup.accepts_referrals,
        recruits_supporters=setup.recruits_supporters,
        asks_work_role=setup.asks_work_role,
        is_employer_blind=setup.is_employer_blind,
        contact_email=setup.contact_email,
        contact_phone=setup.contact_phone,
        translations=_texts(setup, "name", "description"),
        experience_names={
            experience: setup.experience_names[experience.slug]
            for experience in setup.experiences
            if experience.slug in setup.experience_names
        },
    )


def _set_schedule(program: Program, by: User, setup: ProgramSetup) -> None:
    change_schedule(
        program=program,
        by=by,
        time_zone=setup.time_zone,
        country=setup.country,
        subdivision=setup.subdivision,
        business_day_ends_at=dt.time(17, 0),
        sla_business_days=setup.sla_business_days,
        match_length_weeks=setup.match_length_weeks,
        is_goal_based=setup.is_goal_based,
        checkin_months=list(setup.checkin_months),
        supporter_commitment_months=setup.supporter_commitment_months,
        expected_hours_min=setup.expected_hours[0],
        expected_hours_max=setup.expected_hours[1],
    )


def add_sites(
    seeder: Seeder, program: Program, sites: Sequence[tuple[str, str]], *, kind: str
) -> list[Site]:
    """The program's sites, (name, region) each, added through the programs service."""
    return [
        add_site(program=program, by=seeder.by, name=name, kind=kind, region=region)
        for name, region in sites
    ]
