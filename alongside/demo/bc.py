"""Paid peer support workers in community mental health teams; referral only, goal-based.

Modelled on public descriptions of a regional health authority's peer support worker program.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from alongside.accounts.models import Membership, Role, User
from alongside.demo.life import choose_demo_instruments, finish_program
from alongside.demo.people import (
    Lived,
    Profile,
    RequestSpec,
    add_demo_supporter,
    add_request,
    methods_from,
    status_for,
)
from alongside.demo.setup import ProgramSetup, add_sites, set_up_program
from alongside.demo.shared import (
    BC_SLUG,
    DEMO_DOMAIN,
    PROGRAM_NAMES,
    DemoLogin,
    ProgramSummary,
    Seeder,
    demo_login,
    experience,
)
from alongside.intake.models import Source
from alongside.intake.referrals import ClientConsent
from alongside.programs.models import (
    ContactMethod,
    Experience,
    ExperienceCategory,
    Language,
    Program,
    Relationship,
    Site,
    SiteKind,
)
from alongside.programs.services.team import tie_role_to_sites
from alongside.supporters.models import SupporterStatus

CONTACT_NOTES = (
    "Met at the clinic; set a first goal: find a drop-in group close to home.",
    "Went together to the community centre to look at the peer-led groups.",
    "Talked about the housing application; linked them with the outreach worker.",
    "Checked in by text; they went to the group on their own this week.",
)

BC_SITES = (
    ("Downtown CMHT", "Vancouver"),
    ("North Shore", "North Shore"),
    ("Richmond", "Richmond"),
    ("Sea-to-Sky", "Sea-to-Sky"),
)

BC_ABOUT = (
    "Client is isolated since discharge and would like help finding community programs.",
    "Wants support to reconnect with family and set goals around daily routine.",
    "Early in recovery from alcohol use; interested in peer-led groups.",
    "Would like someone to go with them to appointments and the food bank at first.",
    "Client asked for a peer who speaks Cantonese or Mandarin.",
    "Looking for work again after a long hospital stay; wants help with a plan.",
)

BC_GOALS = (
    ("Find a drop-in group close to home", "Go to the food bank on my own"),
    ("Call my sister once a week", "Keep a daily routine: up by nine"),
    ("Try a peer-led recovery group",),
    ("Make a plan for looking for work", "Update my resume"),
)

BC_ELIGIBILITY: list[dict[str, Any]] = [
    {"kind": "minimum_age", "years": 19},
    {
        "kind": "lived_experience",
        "experiences": ["mental-health", "substance-use"],
        "relationships": ["self", "family"],
    },
    {
        "kind": "self_assessment",
        "statement": "I have completed peer support worker training and can use my "
        "own recovery to support others.",
    },
]


def bc_experiences(seeder: Seeder) -> list[Experience]:
    """The taxonomy: mental health and substance use challenges."""
    mental_health = experience(
        seeder, "mental-health", "Mental health challenges", ExperienceCategory.MENTAL_HEALTH
    )
    substance_use = experience(
        seeder, "substance-use", "Substance use challenges", ExperienceCategory.SUBSTANCE_USE
    )
    return [mental_health, substance_use]


def bc_setup(experiences: list[Experience]) -> ProgramSetup:
    """The program's settings, as its administrator enters them (the province reuses them)."""
    return ProgramSetup(
        slug=BC_SLUG,
        name=PROGRAM_NAMES[BC_SLUG],
        description=(
            "Peer support workers with lived experience of mental illness or substance use "
            "help clients of the community mental health teams reach personal goals, learn "
            "new skills and link with community resources. Ask a member of your care team "
            "for a referral."
        ),
        country="CA",
        subdivision="BC",
        time_zone="America/Vancouver",
        languages=[Language.ENGLISH, Language.CHINESE, Language.PUNJABI],
        contact_methods=[ContactMethod.PHONE, ContactMethod.IN_PERSON, ContactMethod.TEXT],
        experiences=list(experiences),
        accepts_public_requests=False,
        accepts_phone_requests=False,
        accepts_referrals=True,
        # Peer support workers are hired, not recruited through the public home.
        recruits_supporters=False,
        contact_email="peer-support-workers@example.org",
        contact_phone="604-555-0102",
        eligibility_rules=BC_ELIGIBILITY,
        sla_business_days=3,
        match_length_weeks=None,
        is_goal_based=True,
        checkin_months=[],
        supporter_commitment_months=12,
        expected_hours=(Decimal(20), Decimal(60)),
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 9-8-8, any time. "
            "In an emergency, call 9-1-1."
        ),
    )


def create_bc_program(seeder: Seeder) -> tuple[Program, list[Experience]]:
    """The program and its taxonomy: mental health and substance use challenges."""
    experiences = bc_experiences(seeder)
    return set_up_program(seeder, bc_setup(experiences)), experiences


def add_bc_supporters(
    seeder: Seeder,
    program: Program,
    coordinator: User,
    experiences: list[Experience],
    sites: list[Site],
) -> None:
    """Fifteen paid peer support workers at four clinics, a few of them family peers."""
    mental_health, substance_use = experiences
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    extra_languages = {1: Language.CHINESE, 5: Language.PUNJABI, 8: Language.CHINESE}
    extra_languages |= {12: Language.PUNJABI}
    statuses = {3: SupporterStatus.SCREENING, 10: SupporterStatus.PAUSED}
    for index in range(15):
        site = sites[index % len(sites)]
        other = extra_languages.get(index)
        if index % 5 == 4:
            lived = [Lived(mental_health, Relationship.FAMILY, seeder.years_ago(3, 15))]
            about = "Family peer supporter: supported a son through psychosis."
        else:
            lived = [Lived(mental_health, Relationship.SELF, seeder.years_ago(4, 20))]
            about = "Graduate of the peer support worker training; lived experience of depression."
            if index % 3 == 0:
                lived.append(Lived(substance_use, Relationship.SELF, seeder.years_ago(3, 15)))
                about = "Graduate of the peer support worker training; in recovery from opioids."
        add_demo_supporter(
            seeder,
            program,
            coordinator,
            lived=lived,
            languages=[other, Language.ENGLISH] if other else [Language.ENGLISH],
            profile=Profile(
                contact_methods=methods_from(rng, methods, ContactMethod.IN_PERSON),
                is_paid=True,
                site=site,
                region=site.region,
                status=status_for(index, statuses),
                expected_hours_per_month=Decimal(rng.choice([20, 30, 40, 60])),
                away_until=seeder.today + dt.timedelta(days=7) if index == 6 else None,
                about=about,
            ),
        )


def bc_request_specs(
    seeder: Seeder,
    program: Program,
    experiences: list[Experience],
    sites: list[Site],
    referrers: tuple[User, User],
) -> list[RequestSpec]:
    """Eight referrals from the care teams, from two referrers."""
    mental_health, substance_use = experiences
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    languages = {2: Language.CHINESE, 5: Language.PUNJABI}
    days = (9.0, 7.8, 6.2, 5.0, 3.9, 2.7, 1.6, 0.4)
    specs = []
    for index, days_ago in enumerate(days):
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=substance_use if index in (2, 6) else mental_health,
                relationship=Relationship.SELF,
                about=BC_ABOUT[4] if index == 2 else BC_ABOUT[index % len(BC_ABOUT)],
                language=languages.get(index, Language.ENGLISH),
                contact_methods=tuple(methods_from(rng, methods, ContactMethod.IN_PERSON)),
                source=Source.REFERRAL,
                site=sites[index % len(sites)],
                referred_by=referrers[1] if index % 3 == 2 else referrers[0],
                goals=BC_GOALS[index % len(BC_GOALS)],
                # Half the clients agree that their referrer learns who and gets a summary.
                consent=ClientConsent(
                    to_share=True,
                    referrer_may_know_who=index % 2 == 0,
                    summary_to_referrer=index % 2 == 0,
                ),
            )
        )
    return specs


def build_bc_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """Paid peer support workers in community mental health teams; referral only, goal-based."""
    seeder.open_admin(admin_login)
    program, experiences = create_bc_program(seeder)
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.bc@{DEMO_DOMAIN}"), program)
    seeder.login_user(demo_login(f"supervisor.bc@{DEMO_DOMAIN}"), program)
    referrer = seeder.login_user(demo_login(f"referrer.bc@{DEMO_DOMAIN}"), program)
    other_referrer = seeder.person_with_role(Role.REFERRER, program)
    sites = add_sites(seeder, program, BC_SITES, kind=SiteKind.CLINIC)
    # The Richmond team's own coordinator: its clients and workers, nobody else's.
    richmond = seeder.login_user(demo_login(f"coordinator.richmond.bc@{DEMO_DOMAIN}"), program)
    tie_role_to_sites(
        membership=Membership.objects.get(user=richmond, program=program, role=Role.COORDINATOR),
        by=seeder.by,
        sites=[sites[2]],
    )
    add_bc_supporters(seeder, program, coordinator, experiences, sites)
    choose_demo_instruments(program, coordinator)
    specs = bc_request_specs(seeder, program, experiences, sites, (referrer, other_referrer))
    requests = [
        add_request(seeder, program, spec, index=index, area_code="604", coordinator=coordinator)
        for index, spec in enumerate(specs)
    ]
    finish_program(
        seeder, program, summary, requests, coordinator, notes=CONTACT_NOTES, to_match=(0, 3)
    )
    return summary
