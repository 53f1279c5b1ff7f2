"""The MS one-to-one program: volunteers across Canada, by phone and online, 6-month matches.

Modelled on public descriptions of a national MS society's peer support program.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from alongside.accounts.models import User
from alongside.demo.life import add_supporter_pipeline, choose_demo_instruments, finish_program
from alongside.demo.people import (
    Lived,
    Profile,
    RequestSpec,
    add_demo_supporter,
    add_request,
    methods_from,
    status_for,
)
from alongside.demo.setup import ProgramSetup, set_up_program
from alongside.demo.shared import (
    DEMO_DOMAIN,
    MS_SLUG,
    PROGRAM_NAMES,
    DemoLogin,
    ProgramSummary,
    Seeder,
    demo_login,
    experience,
)
from alongside.intake.models import Source, SupportRequest
from alongside.programs.models import (
    ContactMethod,
    Experience,
    ExperienceCategory,
    Gender,
    Language,
    Program,
    Relationship,
)
from alongside.supporters.models import SupporterStatus

CONTACT_NOTES = (
    "First call: talked about the diagnosis and what the first months were like for me.",
    "Talked about fatigue at work and how to bring up accommodations with a manager.",
    "Shared the MS Society's newly diagnosed resources; they will look at them this week.",
    "Mostly listened. Family is worried; we talked about how to explain MS to the kids.",
    "Talked about the first relapse and what helped me with the waiting.",
)

MS_STATEMENT = "I am at a place in my own journey where I can support others."
MS_ELIGIBILITY: list[dict[str, Any]] = [
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
            {"kind": "lived_experience", "experiences": ["ms"], "relationships": ["family"]},
        ],
    },
    {
        "kind": "self_assessment",
        "statement": MS_STATEMENT,
    },
]

MS_CRISIS_QUESTIONS: list[dict[str, Any]] = [
    {
        "key": "safe_now",
        "question": "Are you thinking about harming yourself or ending your life?",
        "answers": ["No", "Yes", "I'd rather not say"],
        "crisis_answers": ["Yes"],
    }
]
# The program in Canadian French, as its coordinators write it in its settings (ADR 0004).
MS_FRENCH = {
    "name": "Programme de soutien par les pairs en SP",
    "description": (
        "Un programme par téléphone et en ligne pour les personnes qui vivent avec la SP ou une "
        "maladie apparentée, et pour leurs proches aidants. Parlez en tête-à-tête avec une "
        "personne bénévole formée qui a vécu la même chose, pendant environ six mois."
    ),
    "crisis_message": (
        "Si vous êtes en crise ou pensez au suicide, appelez ou textez le 9-8-8 (Ligne d'aide "
        "en cas de crise de suicide), en tout temps, en français ou en anglais. Au Québec, "
        "vous pouvez aussi appeler le 1 866 APPELLE (1 866 277-3553). En cas d'urgence, "
        "composez le 9-1-1."
    ),
}
MS_FRENCH_PHRASES = {
    "crisis_questions": {
        "safe_now": "Pensez-vous à vous faire du mal ou à mettre fin à vos jours?"
    },
    "crisis_answers": {
        "No": "Non",
        "Yes": "Oui",
        "I'd rather not say": "Je préfère ne pas répondre",
    },
    "statements": {
        MS_STATEMENT: "J'en suis à un point de mon propre parcours où je peux soutenir d'autres "
        "personnes."
    },
}
MS_FRENCH_EXPERIENCES = {
    "ms": {"fr": "Sclérose en plaques (SP)"},
    "nmosd": {"fr": "Trouble du spectre de la neuromyélite optique (TSNMO)"},
    "mogad": {"fr": "Maladie associée aux anticorps anti-MOG (MOGAD)"},
}

# Where MS volunteers live: across Canada. (region, time zone, speaks French)
_CANADA = (
    ("Ontario", "America/Toronto", False),
    ("Ontario", "America/Toronto", False),
    ("Quebec", "America/Toronto", True),
    ("Nova Scotia", "America/Halifax", False),
    ("New Brunswick", "America/Moncton", True),
    ("Manitoba", "America/Winnipeg", False),
    ("Saskatchewan", "America/Regina", False),
    ("Alberta", "America/Edmonton", False),
    ("British Columbia", "America/Vancouver", False),
)

MS_ABOUT = {
    "self": (
        "I was diagnosed three months ago and I don't know anyone else who has MS.",
        "I've had relapsing MS for a year. I'm worried about keeping my job.",
        "I'm starting a new treatment next month and I'm nervous about the side effects.",
        "The fatigue is the hardest part. I'd like to talk with someone who gets it.",
        "J'ai reçu mon diagnostic cet automne et j'aimerais parler à quelqu'un qui est passé "
        "par là.",
    ),
    "family": (
        "My husband was diagnosed last year. I'd like to talk to another caregiver.",
        "My daughter is 24 and just got her diagnosis. How do I support her without hovering?",
        "Ma mère vit avec la SP depuis longtemps et je deviens son aidante principale.",
    ),
}


def ms_experiences(seeder: Seeder) -> list[Experience]:
    """The taxonomy: MS and its allied diseases."""
    ms = experience(seeder, "ms", "Multiple sclerosis (MS)", ExperienceCategory.HEALTH_CONDITION)
    nmosd = experience(
        seeder,
        "nmosd",
        "Neuromyelitis optica spectrum disorder (NMOSD)",
        ExperienceCategory.HEALTH_CONDITION,
        ms,
    )
    mogad = experience(
        seeder,
        "mogad",
        "MOG antibody-associated disease (MOGAD)",
        ExperienceCategory.HEALTH_CONDITION,
        ms,
    )
    return [ms, nmosd, mogad]


def ms_setup(experiences: list[Experience]) -> ProgramSetup:
    """The MS program's settings, as its administrator enters them (the province reuses them)."""
    return ProgramSetup(
        slug=MS_SLUG,
        name=PROGRAM_NAMES[MS_SLUG],
        description=(
            "A telephone and internet-based program for people living with MS or an allied "
            "disease, and for their caregivers and loved ones. Talk one-to-one with a "
            "trained volunteer who has been there, for about six months."
        ),
        country="CA",
        subdivision="ON",
        time_zone="America/Toronto",
        languages=[Language.ENGLISH, Language.FRENCH],
        contact_methods=[
            ContactMethod.PHONE,
            ContactMethod.EMAIL,
            ContactMethod.VIDEO,
            ContactMethod.TEXT,
        ],
        experiences=list(experiences),
        accepts_public_requests=True,
        accepts_phone_requests=True,
        accepts_referrals=False,
        recruits_supporters=True,
        contact_email="ms-peer-support@example.org",
        contact_phone="416-555-0100",
        eligibility_rules=MS_ELIGIBILITY,
        sla_business_days=2,
        match_length_weeks=26,
        is_goal_based=False,
        checkin_months=[1, 3, 6],
        supporter_commitment_months=12,
        expected_hours=(Decimal(1), Decimal(4)),
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 9-8-8, any time. "
            "In an emergency, call 9-1-1."
        ),
        crisis_questions=MS_CRISIS_QUESTIONS,
        translations={Language.FRENCH: MS_FRENCH},
        phrases={Language.FRENCH: MS_FRENCH_PHRASES},
        experience_names=MS_FRENCH_EXPERIENCES,
    )


def create_ms_program(seeder: Seeder) -> tuple[Program, list[Experience]]:
    """The program and its taxonomy: MS and its allied diseases."""
    experiences = ms_experiences(seeder)
    return set_up_program(seeder, ms_setup(experiences)), experiences


def add_ms_supporters(
    seeder: Seeder, program: Program, coordinator: User, experiences: list[Experience]
) -> None:
    """Two dozen volunteers across Canada; a few screening, paused, on a break or away."""
    ms, nmosd, mogad = experiences
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    statuses = {
        4: SupporterStatus.SCREENING,
        11: SupporterStatus.PAUSED,
        17: SupporterStatus.ON_BREAK,
        22: SupporterStatus.SCREENING,
    }
    for index in range(1, 25):
        region, zone, french = rng.choice(_CANADA)
        if index % 5 == 3:
            lived = [Lived(ms, Relationship.FAMILY, seeder.years_ago(1, 15))]
            about = "Cares for a partner with progressive MS."
        elif index in (6, 19):
            lived = [Lived(nmosd, Relationship.SELF, seeder.years_ago(2.5, 12))]
            about = "Lives with NMOSD; happy to support anyone with an allied disease."
        elif index == 13:
            lived = [Lived(mogad, Relationship.SELF, seeder.years_ago(2.5, 8))]
            about = "Lives with MOGAD."
        else:
            lived = [Lived(ms, Relationship.SELF, seeder.years_ago(2.2, 25))]
            about = rng.choice(
                (
                    "Diagnosed with relapsing-remitting MS; works full-time.",
                    "Secondary progressive MS; uses a mobility aid and loves to talk adaptations.",
                    "Diagnosed young; went through university and a pregnancy with MS.",
                    "Retired teacher with MS; patient listener.",
                )
            )
            if index % 7 == 0:
                lived.append(Lived(ms, Relationship.FAMILY, seeder.years_ago(3, 20)))
                about += " Their mother also lived with MS."
        add_demo_supporter(
            seeder,
            program,
            coordinator,
            lived=lived,
            languages=[Language.FRENCH, Language.ENGLISH] if french else [Language.ENGLISH],
            profile=Profile(
                contact_methods=methods_from(rng, methods, ContactMethod.PHONE),
                status=status_for(index, statuses),
                region=region,
                time_zone=zone,
                expected_hours_per_month=Decimal(rng.randint(1, 4)),
                away_until=seeder.today + dt.timedelta(days=18) if index == 8 else None,
                about=about,
            ),
        )


def ms_request_specs(
    seeder: Seeder, program: Program, experiences: list[Experience]
) -> list[RequestSpec]:
    """Two weeks of requests, some from caregivers, some in French, some taken by phone."""
    ms, nmosd, mogad = experiences
    rng = seeder.rng
    methods = [str(method) for method in program.contact_methods]
    specs: list[RequestSpec] = []
    days = (9.6, 9.1, 8.4, 7.7, 7.0, 6.3, 5.5, 4.6, 3.8, 3.0, 2.2, 1.3, 0.6, 0.1)
    for index, days_ago in enumerate(days):
        family = index % 4 == 1
        french = index in (4, 9, 12)
        pool = MS_ABOUT["family" if family else "self"]
        texts = [text for text in pool if ("J'" in text or "Ma " in text) == french] or list(pool)
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=nmosd if index == 7 else mogad if index == 11 else ms,
                relationship=Relationship.FAMILY if family else Relationship.SELF,
                about=rng.choice(texts),
                language=Language.FRENCH if french else Language.ENGLISH,
                contact_methods=tuple(methods_from(rng, methods, rng.choice(methods))),
                source=Source.PHONE if index % 3 == 2 else Source.PUBLIC_FORM,
                since=seeder.years_ago(0.1, 1.5),
                preferences="Someone close to my age, if possible." if index % 5 == 0 else "",
            )
        )
    # The demo supporter's match: newly diagnosed, English, phone and e-mail.
    specs[0] = RequestSpec(
        days_ago=days[0],
        experience=ms,
        relationship=Relationship.SELF,
        about=MS_ABOUT["self"][0],
        contact_methods=(ContactMethod.PHONE, ContactMethod.EMAIL),
        since=seeder.years_ago(0.3, 0.3),
    )
    return specs


def build_ms_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """The one-to-one MS program: volunteers across Canada, by phone and online, 6-month matches."""
    seeder.open_admin(admin_login)
    program, experiences = create_ms_program(seeder)
    ms = experiences[0]
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.ms@{DEMO_DOMAIN}"), program)
    # The demo supporter: MS for 9 years, bilingual, room for two matches.
    demo_supporter = add_demo_supporter(
        seeder,
        program,
        coordinator,
        user=seeder.account_for(demo_login(f"supporter.ms@{DEMO_DOMAIN}"), program),
        lived=[Lived(ms, Relationship.SELF, seeder.years_ago(9, 9))],
        languages=[Language.ENGLISH, Language.FRENCH],
        profile=Profile(
            contact_methods=[ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.VIDEO],
            region="Ontario",
            max_concurrent_matches=2,
            expected_hours_per_month=Decimal(3),
            gender=Gender.WOMAN,
            about="Diagnosed in her thirties; back at work part-time. Good with newly diagnosed.",
        ),
    )
    add_ms_supporters(seeder, program, coordinator, experiences)
    add_supporter_pipeline(seeder, program, coordinator, experience=ms)
    choose_demo_instruments(program, coordinator)
    requests: list[SupportRequest] = [
        add_request(seeder, program, spec, index=index, area_code="416", coordinator=coordinator)
        for index, spec in enumerate(ms_request_specs(seeder, program, experiences))
    ]
    finish_program(
        seeder,
        program,
        summary,
        requests,
        coordinator,
        notes=CONTACT_NOTES,
        to_match=(0, 2, 5, 8),
        fixed={0: demo_supporter},
    )
    return summary
