"""A statewide network matching health care workers with peers in similar roles.

Modelled on public descriptions of a state health care workers' peer support network.
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
    DEMO_DOMAIN,
    HCW_SLUG,
    PROGRAM_NAMES,
    DemoLogin,
    ProgramSummary,
    Seeder,
    demo_login,
    experience,
)
from alongside.intake.models import Source
from alongside.matching.queries import settings_for
from alongside.matching.services import update_settings
from alongside.programs.models import (
    ContactMethod,
    Experience,
    ExperienceCategory,
    Gender,
    Language,
    Program,
    Relationship,
    Site,
    SiteKind,
)
from alongside.programs.services.team import tie_role_to_sites
from alongside.supporters.models import SupporterStatus

HCW_ROLES = (
    "nurse",
    "physician",
    "respiratory therapist",
    "pharmacist",
    "social worker",
    "environmental services",
)

HCW_ELIGIBILITY: list[dict[str, Any]] = [
    {"kind": "minimum_age", "years": 18},
    {"kind": "work_role", "roles": list(HCW_ROLES)},
    {
        "kind": "lived_experience",
        "experiences": ["health-care-work-stress", "adverse-event"],
        "relationships": ["colleague"],
    },
]

# Asked first when a coordinator takes a request by phone.
HCW_CRISIS_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "safe_now",
        "question": "Are you thinking about harming yourself or ending your life?",
        "answers": ["No", "Yes", "I'd rather not say"],
        "crisis_answers": ["Yes"],
    }
]

CONTACT_NOTES = (
    "Listened; they are carrying the adverse event home every night. Normalized it.",
    "Talked about short staffing on nights and how I set limits on extra shifts.",
    "Shared the employee assistance program and the clinician well-being resources.",
    "Follow-up call: sleeping better, going back to the unit on Monday.",
)

HCW_SITES = (
    ("Brookline Community Hospital", "Greater Boston"),
    ("Worcester Medical Center", "Central Massachusetts"),
    ("Springfield General", "Western Massachusetts"),
    ("Cape Cod Regional", "Cape and Islands"),
)

HCW_ABOUT = {
    "health-care-work-stress": (
        "We've been short three nurses on nights for months. I'm exhausted and snapping at home.",
        "A patient's family threatened me last week and I keep replaying it.",
        "I love my job but I'm thinking about leaving medicine. I'd like to talk to another doc.",
        "Our unit lost two patients in one shift. I need to talk to someone who gets it.",
    ),
    "adverse-event": (
        "I was involved in a medication error. The patient is OK but I can't stop thinking "
        "about it.",
        "There was a bad outcome after a procedure I was part of; the review starts next week.",
    ),
}


def hcw_experiences(seeder: Seeder) -> list[Experience]:
    """The taxonomy: the strain of the work and adverse events."""
    stress = experience(
        seeder,
        "health-care-work-stress",
        "Stress from working in health care",
        ExperienceCategory.HEALTH_CARE_WORK,
    )
    adverse = experience(
        seeder,
        "adverse-event",
        "Involvement in an adverse event",
        ExperienceCategory.HEALTH_CARE_WORK,
    )
    return [stress, adverse]


def hcw_setup(experiences: list[Experience]) -> ProgramSetup:
    """The network's settings, as its administrator enters them (the province reuses them)."""
    return ProgramSetup(
        slug=HCW_SLUG,
        name=PROGRAM_NAMES[HCW_SLUG],
        description=(
            "Confidential peer-to-peer support for health care workers in Massachusetts "
            "facing staffing shortages, workplace safety issues, adverse events and other "
            "stresses of the work. We connect you with a colleague in a similar role, at "
            "your organization or another facility, within one business day."
        ),
        country="US",
        subdivision="MA",
        time_zone="America/New_York",
        languages=[
            Language.ENGLISH,
            Language.SPANISH,
            Language.PORTUGUESE,
            Language.HAITIAN_CREOLE,
        ],
        contact_methods=[ContactMethod.PHONE, ContactMethod.VIDEO],
        experiences=list(experiences),
        accepts_public_requests=True,
        accepts_phone_requests=True,
        accepts_referrals=False,
        recruits_supporters=True,
        asks_work_role=True,
        is_employer_blind=True,
        reported_demographics=("gender", "age_group", "language", "site"),
        contact_email="peer-support-network@example.org",
        contact_phone="617-555-0101",
        eligibility_rules=HCW_ELIGIBILITY,
        sla_business_days=1,
        match_length_weeks=None,
        is_goal_based=True,
        checkin_months=[],
        supporter_commitment_months=12,
        expected_hours=(Decimal(2), Decimal(4)),
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 988, any time. "
            "In an emergency, call 911."
        ),
        crisis_questions=HCW_CRISIS_QUESTIONS,
    )


def create_hcw_program(seeder: Seeder) -> tuple[Program, list[Experience]]:
    """The program and its taxonomy: the strain of the work and adverse events."""
    experiences = hcw_experiences(seeder)
    return set_up_program(seeder, hcw_setup(experiences)), experiences


def match_across_facilities(program: Program, coordinator: User) -> None:
    """Health-care workers are matched with a colleague from another facility."""
    current = settings_for(program)
    update_settings(
        program=program,
        by=coordinator,
        weights=current.weights,
        exclude_same_site=True,
        proposal_response_hours=current.proposal_response_hours,
    )


def lived_at_work(
    seeder: Seeder, experiences: list[Experience], years: tuple[float, float], adverse_event: bool
) -> list[Lived]:
    stress, adverse = experiences
    lived = [Lived(stress, Relationship.COLLEAGUE, seeder.years_ago(*years))]
    if adverse_event:
        lived.append(Lived(adverse, Relationship.COLLEAGUE, seeder.years_ago(0.5, 6)))
    return lived


def add_hcw_supporters(
    seeder: Seeder,
    program: Program,
    coordinator: User,
    experiences: list[Experience],
    sites: list[Site],
) -> None:
    """Nurses, physicians, therapists and others at four facilities, some speaking a second
    language."""
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    roles = (
        ["nurse"] * 5
        + ["physician"] * 4
        + ["respiratory therapist"] * 3
        + ["pharmacist"] * 2
        + ["social worker"] * 3
        + ["environmental services"] * 2
    )
    extra_languages = {2: Language.PORTUGUESE, 5: Language.SPANISH, 9: Language.HAITIAN_CREOLE}
    extra_languages |= {14: Language.SPANISH, 17: Language.PORTUGUESE, 18: Language.HAITIAN_CREOLE}
    statuses = {6: SupporterStatus.SCREENING, 12: SupporterStatus.ON_BREAK}
    for index, role in enumerate(roles, start=1):
        site = sites[index % len(sites)]
        other = extra_languages.get(index)
        add_demo_supporter(
            seeder,
            program,
            coordinator,
            lived=lived_at_work(seeder, experiences, (2, 28), adverse_event=index % 3 == 0),
            languages=[other, Language.ENGLISH] if other else [Language.ENGLISH],
            profile=Profile(
                contact_methods=methods_from(rng, methods, rng.choice(methods)),
                work_role=role,
                site=site,
                region=site.region,
                status=status_for(index, statuses),
                expected_hours_per_month=Decimal(rng.randint(2, 4)),
                away_until=seeder.today + dt.timedelta(days=10) if index == 10 else None,
                about=f"{role.capitalize()} at {site.name}.",
            ),
        )


def hcw_request_specs(
    seeder: Seeder, program: Program, experiences: list[Experience], sites: list[Site]
) -> list[RequestSpec]:
    """Ten requests over two weeks from many roles, three about an adverse event."""
    stress, adverse = experiences
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    request_roles = (
        "nurse",
        "physician",
        "nurse",
        "respiratory therapist",
        "nurse",
        "pharmacist",
        "social worker",
        "nurse",
        "environmental services",
        "physician",
    )
    languages = {3: Language.SPANISH, 6: Language.PORTUGUESE, 8: Language.HAITIAN_CREOLE}
    days = (9.3, 8.2, 7.1, 6.4, 5.2, 4.1, 3.2, 2.0, 1.1, 0.3)
    specs = []
    for index, (role, days_ago) in enumerate(zip(request_roles, days, strict=True)):
        experience_ = adverse if index in (0, 4, 7) else stress
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=experience_,
                relationship=Relationship.COLLEAGUE,
                about=rng.choice(HCW_ABOUT[experience_.slug]),
                language=languages.get(index, Language.ENGLISH),
                contact_methods=tuple(methods_from(rng, methods, rng.choice(methods))),
                source=Source.PHONE if index % 3 == 1 else Source.PUBLIC_FORM,
                work_role=role,
                site=sites[(index * 3 + 1) % len(sites)],
                since=seeder.years_ago(1, 15),
                preferences=("Someone from another hospital, please." if index % 4 == 0 else ""),
            )
        )
    return specs


def build_hcw_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """A statewide network matching health care workers with peers in similar roles."""
    seeder.open_admin(admin_login)
    program, experiences = create_hcw_program(seeder)
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.hcw@{DEMO_DOMAIN}"), program)
    seeder.login_user(demo_login(f"privacy.hcw@{DEMO_DOMAIN}"), program)
    match_across_facilities(program, coordinator)
    sites = add_sites(seeder, program, HCW_SITES, kind=SiteKind.FACILITY)
    manager = seeder.login_user(demo_login(f"manager.hcw@{DEMO_DOMAIN}"), program)
    tie_role_to_sites(
        membership=Membership.objects.get(user=manager, program=program, role=Role.SUPERVISOR),
        by=seeder.by,
        sites=[sites[0]],
    )
    demo_supporter = add_demo_supporter(
        seeder,
        program,
        coordinator,
        user=seeder.account_for(demo_login(f"supporter.hcw@{DEMO_DOMAIN}"), program),
        lived=lived_at_work(seeder, experiences, (14, 14), adverse_event=True),
        languages=[Language.ENGLISH, Language.SPANISH],
        profile=Profile(
            contact_methods=[ContactMethod.PHONE, ContactMethod.VIDEO],
            work_role="nurse",
            site=sites[0],
            region=sites[0].region,
            max_concurrent_matches=3,
            expected_hours_per_month=Decimal(4),
            gender=Gender.WOMAN,
            about="ICU nurse for 14 years; charge nurse on nights.",
        ),
    )
    add_hcw_supporters(seeder, program, coordinator, experiences, sites)
    choose_demo_instruments(program, coordinator)
    requests = [
        add_request(seeder, program, spec, index=index, area_code="617", coordinator=coordinator)
        for index, spec in enumerate(hcw_request_specs(seeder, program, experiences, sites))
    ]
    finish_program(
        seeder,
        program,
        summary,
        requests,
        coordinator,
        notes=CONTACT_NOTES,
        to_match=(0, 2, 5),
        fixed={0: demo_supporter},
    )
    return summary
