"""Demo data: three peer support programs modelled on public descriptions of real ones.

`manage.py seed_demo` calls `seed_demo()`. Everything is built from the same factories the tests
use, and requests, matches and contacts go through the services, so the demo has the audit events
and outbox messages that real use leaves. The people, places and numbers are fictional
(example.org addresses, 555-01xx phone numbers).

Seeding is idempotent: a program whose slug already exists is left as it is. It is deterministic:
Faker and our own random choices are seeded per program, so names are the same on every machine.
"""

import datetime as dt
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from factory.declarations import Transformer
from factory.faker import Faker
from factory.random import reseed_random

from alongside.accounts.factories import DEMO_PASSWORD, UserFactory, user_with_role
from alongside.accounts.models import Role, User
from alongside.intake.factories import PeerFactory
from alongside.intake.models import Peer, Source, SupportRequest
from alongside.intake.services import submit_support_request
from alongside.matches.models import Match, SupportType
from alongside.matches.services.contacts import log_contact
from alongside.matches.services.lifecycle import start_match
from alongside.matching.models import MatchingSettings
from alongside.matching.queries import shortlist
from alongside.programs.factories import ExperienceFactory, ProgramFactory, SiteFactory
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
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus

SEED = 20240917
DEMO_DOMAIN = "alongside.example"
# Submission tokens are derived from this namespace, so a request is never submitted twice.
TOKEN_NAMESPACE = uuid.UUID("5b0f3c1e-7d2a-4c55-9a61-2f1f0e6d9c41")

MS_SLUG = "ms-peer-support"
HCW_SLUG = "hcw-peer-support"
BC_SLUG = "vch-peer-support-workers"
DEMO_PROGRAM_SLUGS = (MS_SLUG, HCW_SLUG, BC_SLUG)

HCW_ROLES = (
    "nurse",
    "physician",
    "respiratory therapist",
    "pharmacist",
    "social worker",
    "environmental services",
)

# Names follow the language a person speaks; Faker locales for each.
_LOCALES: dict[str, str] = {
    Language.ENGLISH: "en_CA",
    Language.FRENCH: "fr_CA",
    Language.SPANISH: "es_MX",
    Language.PORTUGUESE: "pt_BR",
    Language.HAITIAN_CREOLE: "fr_FR",
    Language.CHINESE: "zh_CN",
    Language.PUNJABI: "en_IN",
}


# factory-boy is only partly typed: its calls go through these names, and `make` checks what a
# factory returns.
_faker: Any = Faker
_force_password: Any = Transformer.Force
_reseed_random: Any = reseed_random


def make[M](model: type[M], model_factory: Any, **fields: Any) -> M:
    """`model_factory(**fields)`, typed as the model it creates."""
    made = model_factory(**fields)
    assert isinstance(made, model)
    return made


@dataclass(frozen=True)
class DemoLogin:
    """A demo account with a known e-mail address; every one uses DEMO_PASSWORD."""

    email: str
    first_name: str
    last_name: str
    role: Role
    program_slug: str | None  # None: every demo program


DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(f"admin@{DEMO_DOMAIN}", "Alex", "Morgan", Role.ADMINISTRATOR, None),
    DemoLogin(f"coordinator.ms@{DEMO_DOMAIN}", "Maryse", "Tremblay", Role.COORDINATOR, MS_SLUG),
    DemoLogin(f"coordinator.hcw@{DEMO_DOMAIN}", "Dana", "Whitaker", Role.COORDINATOR, HCW_SLUG),
    DemoLogin(f"coordinator.bc@{DEMO_DOMAIN}", "Grace", "Leung", Role.COORDINATOR, BC_SLUG),
    DemoLogin(f"supervisor.bc@{DEMO_DOMAIN}", "Harjit", "Sandhu", Role.SUPERVISOR, BC_SLUG),
    DemoLogin(f"supporter.ms@{DEMO_DOMAIN}", "Claire", "Bouchard", Role.SUPPORTER, MS_SLUG),
    DemoLogin(f"supporter.hcw@{DEMO_DOMAIN}", "Renee", "Alvarez", Role.SUPPORTER, HCW_SLUG),
    DemoLogin(f"referrer.bc@{DEMO_DOMAIN}", "Priya", "Nair", Role.REFERRER, BC_SLUG),
)

PROGRAM_NAMES: dict[str, str] = {
    MS_SLUG: "MS Peer Support Program",
    HCW_SLUG: "Health Care Worker Peer Support Network",
    BC_SLUG: "Community Mental Health Peer Support Workers",
}


def demo_login(email: str) -> DemoLogin:
    return next(login for login in DEMO_LOGINS if login.email == email)


@dataclass
class ProgramSummary:
    slug: str
    name: str
    created: bool
    supporters: int = 0
    requests: int = 0
    matches: int = 0
    contacts: int = 0


@dataclass
class Seeder:
    """What building one program needs: the clock, seeded randomness, names already taken."""

    now: dt.datetime
    rng: random.Random
    password_hash: str
    english_locale: str = "en_CA"
    used_emails: set[str] = field(default_factory=set)

    @property
    def today(self) -> dt.date:
        return timezone.localdate(self.now)

    def name(self, language: str) -> tuple[str, str]:
        locale = self.english_locale if language == Language.ENGLISH else _LOCALES[language]
        faker = _faker._get_faker(locale)
        if language == Language.CHINESE:
            return str(faker.first_romanized_name()), str(faker.last_romanized_name()).title()
        return str(faker.first_name()), str(faker.last_name())

    def email(self, first_name: str, last_name: str, domain: str = "example.org") -> str:
        base = f"{slugify(first_name)}.{slugify(last_name)}".replace("-", "")
        candidate, number = f"{base}@{domain}", 1
        while candidate in self.used_emails or (
            domain == "example.org" and User.objects.filter(email=candidate).exists()
        ):
            number += 1
            candidate = f"{base}{number}@{domain}"
        self.used_emails.add(candidate)
        return candidate

    def user(self, **fields: Any) -> User:
        """A user from UserFactory with the demo password (hashed once: hashing is slow)."""
        fields.setdefault("password", _force_password(self.password_hash))
        return make(User, UserFactory, **fields)

    def login_user(self, login: DemoLogin, program: Program, **fields: Any) -> User:
        fields.setdefault("password", _force_password(self.password_hash))
        # Demo staff set up their authenticator app at first sign-in, as real staff do.
        user = user_with_role(
            login.role,
            program,
            authenticator_app=False,
            email=login.email,
            first_name=login.first_name,
            last_name=login.last_name,
            time_zone=program.time_zone,
            **fields,
        )
        if login.role == Role.ADMINISTRATOR and not (user.is_staff and user.is_superuser):
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        return user

    def years_ago(self, low: float, high: float) -> dt.date:
        return self.today - dt.timedelta(days=round(365.25 * self.rng.uniform(low, high)))

    def moment(self, program: Program, days_ago: float, *, office_hours: bool) -> dt.datetime:
        """A past moment about `days_ago` days back, at a plausible local hour."""
        local = (self.now - dt.timedelta(days=days_ago)).astimezone(program.calendar.zone)
        hour = self.rng.randint(9, 16) if office_hours else self.rng.randint(7, 21)
        moment = local.replace(hour=hour, minute=self.rng.randint(0, 59), second=0, microsecond=0)
        while moment > self.now - dt.timedelta(minutes=30):
            moment -= dt.timedelta(days=1)
        return moment.astimezone(dt.UTC)

    def between(
        self, program: Program, start: dt.datetime, end: dt.datetime, hours: tuple[int, int]
    ) -> dt.datetime:
        """A moment after `start` and before `end`, at a local hour within `hours` if we can."""
        if end <= start:
            return start
        span = (end - start).total_seconds()
        for _attempt in range(40):
            local = (start + dt.timedelta(seconds=self.rng.uniform(0, span))).astimezone(
                program.calendar.zone
            )
            moment = local.replace(hour=self.rng.randint(*hours), minute=self.rng.randint(0, 59))
            if start < moment < end:
                return moment.astimezone(dt.UTC)
        return start + dt.timedelta(seconds=self.rng.uniform(0, span))


# --- Building blocks -------------------------------------------------------------------------


def _experience(
    slug: str, name: str, category: str, allied_to: Experience | None = None
) -> Experience:
    return make(
        Experience, ExperienceFactory, slug=slug, name=name, category=category, allied_to=allied_to
    )


def _phone(area_code: str, rng: random.Random) -> str:
    """A fictional number: 555-0100 to 555-0199 is set aside for fiction."""
    return f"+1{area_code}55501{rng.randint(0, 99):02d}"


@dataclass(frozen=True)
class Lived:
    experience: Experience
    relationship: Relationship
    since: dt.date | None


def add_supporter(
    seeder: Seeder,
    program: Program,
    *,
    user: User | None = None,
    lived: Sequence[Lived],
    languages: Sequence[str],
    **fields: Any,
) -> Supporter:
    """One supporter with their lived experiences, from SupporterFactory (which adds the role)."""
    if user is None:
        first_name, last_name = seeder.name(languages[0])
        user = seeder.user(
            first_name=first_name,
            last_name=last_name,
            email=seeder.email(first_name, last_name),
            time_zone=fields.get("time_zone", program.time_zone),
            language="fr-ca" if languages[0] == Language.FRENCH else "en",
        )
    status = fields.setdefault("status", SupporterStatus.ACTIVE)
    if status in (SupporterStatus.SCREENING, SupporterStatus.APPLIED):
        fields.update(commitment_starts_on=None, commitment_ends_on=None)
    else:
        starts = seeder.today - dt.timedelta(days=seeder.rng.randint(20, 330))
        fields.setdefault("commitment_starts_on", starts)
        fields.setdefault(
            "commitment_ends_on",
            starts + dt.timedelta(days=round(30.44 * program.supporter_commitment_months)),
        )
    fields.setdefault("gender", seeder.rng.choice([Gender.WOMAN, Gender.WOMAN, Gender.MAN, ""]))
    fields.setdefault("birth_year", seeder.today.year - seeder.rng.randint(24, 68))
    fields.setdefault("max_concurrent_matches", seeder.rng.choice([1, 2, 2, 3]))
    fields.setdefault("time_zone", program.time_zone)
    supporter = make(
        Supporter, SupporterFactory, program=program, user=user, languages=list(languages), **fields
    )
    for item in lived:
        make(
            LivedExperience,
            LivedExperienceFactory,
            supporter=supporter,
            experience=item.experience,
            relationship=item.relationship,
            since=item.since,
        )
    return supporter


def _status_for(index: int, statuses: dict[int, SupporterStatus]) -> SupporterStatus:
    return statuses.get(index, SupporterStatus.ACTIVE)


def _methods(rng: random.Random, offered: Sequence[str], first: str) -> list[str]:
    """`first` and a random selection of the other `offered` methods."""
    others = [method for method in offered if method != first]
    return [first, *rng.sample(others, rng.randint(0, len(others)))]


@dataclass(frozen=True)
class RequestSpec:
    days_ago: float
    experience: Experience
    relationship: Relationship
    about: str
    language: str = Language.ENGLISH
    contact_methods: tuple[str, ...] = (ContactMethod.PHONE, ContactMethod.EMAIL)
    source: Source = Source.PUBLIC_FORM
    work_role: str = ""
    site: Site | None = None
    since: dt.date | None = None
    preferences: str = ""
    referred_by: User | None = None


def add_request(
    seeder: Seeder,
    program: Program,
    spec: RequestSpec,
    *,
    index: int,
    area_code: str,
    coordinator: User,
) -> SupportRequest:
    """Submit a request through the intake service, then date it back to when it 'arrived'."""
    first_name, last_name = seeder.name(spec.language)
    peer = PeerFactory.build(program=program, first_name=first_name, last_name=last_name)
    support_request = submit_support_request(
        program=program,
        source=spec.source,
        submission_token=uuid.uuid5(TOKEN_NAMESPACE, f"{program.slug}:{index}"),
        first_name=peer.first_name,
        last_name=peer.last_name,
        email=seeder.email(peer.first_name, peer.last_name, domain="example.net"),
        phone=_phone(area_code, seeder.rng),
        contact_methods=list(spec.contact_methods),
        language=spec.language,
        experience=spec.experience,
        relationship=spec.relationship,
        experience_since=spec.since,
        work_role=spec.work_role,
        site=spec.site,
        about=spec.about,
        preferences=spec.preferences,
        consent=True,
        entered_by=coordinator if spec.source == Source.PHONE else None,
        referred_by=spec.referred_by,
    )
    received_at = seeder.moment(
        program, spec.days_ago, office_hours=spec.source != Source.PUBLIC_FORM
    )
    due_at = program.calendar.due_at(received_at, program.sla_business_days)
    SupportRequest.objects.filter(pk=support_request.pk).update(
        received_at=received_at, consent_given_at=received_at, due_at=due_at
    )
    Peer.objects.filter(pk=support_request.peer_id).update(created_at=received_at)
    support_request.refresh_from_db()
    return support_request


CONTACT_NOTES: dict[str, tuple[str, ...]] = {
    MS_SLUG: (
        "First call: talked about the diagnosis and what the first months were like for me.",
        "Talked about fatigue at work and how to bring up accommodations with a manager.",
        "Shared the MS Society's newly diagnosed resources; they will look at them this week.",
        "Mostly listened. Family is worried; we talked about how to explain MS to the kids.",
        "Talked about the first relapse and what helped me with the waiting.",
    ),
    HCW_SLUG: (
        "Listened; they are carrying the adverse event home every night. Normalized it.",
        "Talked about short staffing on nights and how I set limits on extra shifts.",
        "Shared the employee assistance program and the clinician well-being resources.",
        "Follow-up call: sleeping better, going back to the unit on Monday.",
    ),
    BC_SLUG: (
        "Met at the clinic; set a first goal: find a drop-in group close to home.",
        "Went together to the community centre to look at the peer-led groups.",
        "Talked about the housing application; linked them with the outreach worker.",
        "Checked in by text; they went to the group on their own this week.",
    ),
}


def add_match(
    seeder: Seeder,
    support_request: SupportRequest,
    coordinator: User,
    supporter: Supporter | None = None,
) -> tuple[Match, int] | None:
    """Start a match through the service (best shortlisted supporter unless one is given), date
    it back after the request arrived, and log one to four contacts through the service."""
    if supporter is None:
        candidates = shortlist(support_request).candidates
        if not candidates:
            return None
        supporter = seeder.rng.choice(candidates[:3]).supporter
    match = start_match(
        support_request=support_request, supporter=supporter, started_by=coordinator
    )
    program = support_request.program
    # A coordinator made the match in office hours, within about two days of the request.
    received_at = support_request.received_at
    started_at = seeder.between(
        program,
        received_at + dt.timedelta(hours=1),
        min(received_at + dt.timedelta(days=2), seeder.now - dt.timedelta(hours=20)),
        hours=(9, 16),
    )
    Match.objects.filter(pk=match.pk).update(
        started_at=started_at,
        planned_end_on=(
            timezone.localdate(started_at, program.calendar.zone)
            + dt.timedelta(weeks=program.match_length_weeks)
            if program.match_length_weeks
            else None
        ),
    )
    match.refresh_from_db()
    methods = [m for m in support_request.contact_methods if m in supporter.contact_methods]
    method = methods[0] if methods else supporter.contact_methods[0]
    count = seeder.rng.randint(1, 4)
    moments = sorted(
        seeder.between(
            program,
            started_at + dt.timedelta(hours=1),
            seeder.now - dt.timedelta(minutes=30),
            (9, 20),
        )
        for _ in range(count)
    )
    notes = CONTACT_NOTES[program.slug]
    for number, occurred_at in enumerate(moments):
        attempt_only = number == 0 and count > 1 and seeder.rng.random() < 0.3
        log_contact(
            match=match,
            logged_by=supporter.user,
            occurred_at=occurred_at,
            minutes=0 if attempt_only else seeder.rng.choice([15, 20, 30, 45, 60, 75]),
            method=method,
            was_made=not attempt_only,
            support_types=(
                []
                if attempt_only
                else seeder.rng.sample(list(SupportType.values), seeder.rng.randint(1, 2))
            ),
            note="Left a message; will try again tomorrow."
            if attempt_only
            else notes[number % len(notes)],
        )
    return match, count


def _finish(
    seeder: Seeder,
    program: Program,
    summary: ProgramSummary,
    requests: Sequence[SupportRequest],
    coordinator: User,
    *,
    to_match: Sequence[int],
    fixed: dict[int, Supporter] | None = None,
) -> None:
    add_on_call_rota(seeder, program, coordinator)
    configure_match_life(program)
    summary.supporters = program.supporters.count()
    summary.requests = len(requests)
    for index in to_match:
        made = add_match(seeder, requests[index], coordinator, (fixed or {}).get(index))
        if made is not None:
            summary.matches += 1
            summary.contacts += made[1]
    add_match_life(seeder, program, coordinator)
    add_check_in_meetings(seeder, program, coordinator)


def add_on_call_rota(seeder: Seeder, program: Program, coordinator: User) -> None:
    """Two weeks of on-call days for the program's coordinator, with its administrators as backup.

    Each shift runs from 08:00 to 08:00 the next day in the program's time zone, so the rota
    crosses daylight-saving changes the way people read it. The coordinator gets a mobile
    phone for urgent texts (a 555 number; the demo's SMS backend only logs).
    """
    from alongside.safety.factories import OnCallShiftFactory, SafetyContactFactory
    from alongside.safety.models import OnCallShift, SafetyContact, ShiftOrder

    backups = list(
        User.objects.filter(
            memberships__program=program, memberships__role=Role.ADMINISTRATOR
        ).exclude(pk=coordinator.pk)
    )
    zone = program.calendar.zone
    first_day = seeder.now.astimezone(zone).date() - dt.timedelta(days=1)
    for offset in range(15):
        day = first_day + dt.timedelta(days=offset)
        starts = dt.datetime.combine(day, dt.time(8), tzinfo=zone)
        ends = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(8), tzinfo=zone)
        make(
            OnCallShift,
            OnCallShiftFactory,
            program=program,
            user=coordinator,
            starts_at=starts,
            ends_at=ends,
            order=ShiftOrder.PRIMARY,
        )
        for backup in backups:
            make(
                OnCallShift,
                OnCallShiftFactory,
                program=program,
                user=backup,
                starts_at=starts,
                ends_at=ends,
                order=ShiftOrder.BACKUP,
            )
    if not SafetyContact.objects.filter(user=coordinator).exists():
        make(
            SafetyContact,
            SafetyContactFactory,
            user=coordinator,
            mobile_phone=f"+1416555{seeder.rng.randint(100, 199):04d}",
        )


def add_supporter_pipeline(
    seeder: Seeder, program: Program, coordinator: User, *, experience: Experience
) -> None:
    """The default steps and trainings; active supporters ready (one's training expires soon),
    those in screening part-way along, and an application kept with the rule it did not meet."""
    from alongside.supporters.factories import make_ready
    from alongside.supporters.models import CheckKind, CheckStatus, StepKind, StepOutcome
    from alongside.supporters.services.applications import ApplicantAnswers, submit_application
    from alongside.supporters.services.pipeline import (
        create_default_pipeline,
        record_background_check,
        record_step,
    )

    create_default_pipeline(program=program, created_by=coordinator)
    in_pipeline = (SupporterStatus.APPLIED, SupporterStatus.SCREENING)
    for index, supporter in enumerate(
        program.supporters.exclude(status__in=in_pipeline).order_by("pk")
    ):
        # The first one did their trainings almost a year ago: a reminder is due.
        make_ready(supporter, on=seeder.today - dt.timedelta(days=350 if index == 0 else 120))
    steps = {step.kind: step for step in program.pipeline_steps.all()}
    for index, supporter in enumerate(program.supporters.filter(status__in=in_pipeline)):
        record_step(
            supporter=supporter,
            step=steps[StepKind.SCREENING_CALL],
            outcome=StepOutcome.PASSED,
            notes="Warm call; keen to start.",
            by=coordinator,
        )
        if index % 2 == 0:
            for kind in (StepKind.INTERVIEW, StepKind.REFERENCES):
                record_step(
                    supporter=supporter,
                    step=steps[kind],
                    outcome=StepOutcome.PASSED,
                    notes="",
                    by=coordinator,
                )
            record_background_check(
                supporter=supporter,
                kind=CheckKind.VULNERABLE_SECTOR,
                status=CheckStatus.REQUESTED,
                requested_on=seeder.today - dt.timedelta(days=6),
                by=coordinator,
            )
    first, last = seeder.name("en")
    submit_application(
        program=program,
        submission_token=uuid.uuid5(TOKEN_NAMESPACE, f"{program.slug}:application:1"),
        answers=ApplicantAnswers(
            first_name=first,
            last_name=last,
            email=seeder.email(first, last),
            date_of_birth=seeder.today - dt.timedelta(days=365 * 40),
            experience=experience,
            relationship=Relationship.SELF,
            experience_since=seeder.today - dt.timedelta(days=200),
            experience_details="Diagnosed this spring; I would love to help others one day.",
            self_assessed=True,
        ),
        consent=True,
    )


# --- The MS program ----------------------------------------------------------------------------

MS_ELIGIBILITY = [
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
        "statement": "I am at a place in my own journey where I can support others.",
    },
]

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


def build_ms_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """The one-to-one MS program: volunteers across Canada, by phone and online, 6-month matches."""
    ms = _experience("ms", "Multiple sclerosis (MS)", ExperienceCategory.HEALTH_CONDITION)
    nmosd = _experience(
        "nmosd", "Neuromyelitis optica spectrum disorder (NMOSD)", "health_condition", ms
    )
    mogad = _experience("mogad", "MOG antibody-associated disease (MOGAD)", "health_condition", ms)
    program = make(
        Program,
        ProgramFactory,
        slug=MS_SLUG,
        name=PROGRAM_NAMES[MS_SLUG],
        description=(
            "A telephone and internet-based program for people living with MS or an allied "
            "disease, and for their caregivers and loved ones. Talk one-to-one with a trained "
            "volunteer who has been there, for about six months."
        ),
        country="CA",
        subdivision="ON",
        time_zone="America/Toronto",
        sla_business_days=2,
        languages=[Language.ENGLISH, Language.FRENCH],
        contact_methods=[
            ContactMethod.PHONE,
            ContactMethod.EMAIL,
            ContactMethod.VIDEO,
            ContactMethod.TEXT,
        ],
        accepts_public_requests=True,
        accepts_referrals=False,
        eligibility_rules=MS_ELIGIBILITY,
        match_length_weeks=26,
        supporter_commitment_months=12,
        expected_hours_min=Decimal(1),
        expected_hours_max=Decimal(4),
        contact_email="ms-peer-support@example.org",
        contact_phone="416-555-0100",
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 9-8-8, any time. "
            "In an emergency, call 9-1-1."
        ),
        experiences=[ms, nmosd, mogad],
    )
    program.full_clean()
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.ms@{DEMO_DOMAIN}"), program)
    methods = [str(method) for method in program.contact_methods]

    rng = seeder.rng
    # The demo supporter: MS for 9 years, bilingual, room for two matches.
    demo_supporter = add_supporter(
        seeder,
        program,
        user=seeder.login_user(demo_login(f"supporter.ms@{DEMO_DOMAIN}"), program),
        lived=[Lived(ms, Relationship.SELF, seeder.years_ago(9, 9))],
        languages=[Language.ENGLISH, Language.FRENCH],
        contact_methods=[ContactMethod.PHONE, ContactMethod.EMAIL, ContactMethod.VIDEO],
        region="Ontario",
        max_concurrent_matches=2,
        expected_hours_per_month=Decimal(3),
        gender=Gender.WOMAN,
        about="Diagnosed in her thirties; back at work part-time. Good with newly diagnosed.",
    )
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
        add_supporter(
            seeder,
            program,
            lived=lived,
            languages=[Language.FRENCH, Language.ENGLISH] if french else [Language.ENGLISH],
            contact_methods=_methods(rng, methods, ContactMethod.PHONE),
            status=_status_for(index, statuses),
            region=region,
            time_zone=zone,
            expected_hours_per_month=Decimal(rng.randint(1, 4)),
            away_until=seeder.today + dt.timedelta(days=18) if index == 8 else None,
            about=about,
        )

    add_supporter_pipeline(seeder, program, coordinator, experience=ms)

    specs: list[RequestSpec] = []
    days = (9.6, 9.1, 8.4, 7.7, 7.0, 6.3, 5.5, 4.6, 3.8, 3.0, 2.2, 1.3, 0.6, 0.1)
    for index, days_ago in enumerate(days):
        family = index % 4 == 1
        french = index in (4, 9, 12)
        pool = MS_ABOUT["family" if family else "self"]
        texts = [text for text in pool if ("J'" in text or "Ma " in text) == french] or list(pool)
        experience = nmosd if index == 7 else mogad if index == 11 else ms
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=experience,
                relationship=Relationship.FAMILY if family else Relationship.SELF,
                about=rng.choice(texts),
                language=Language.FRENCH if french else Language.ENGLISH,
                contact_methods=tuple(_methods(rng, methods, rng.choice(methods))),
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
    requests = [
        add_request(seeder, program, spec, index=index, area_code="416", coordinator=coordinator)
        for index, spec in enumerate(specs)
    ]
    _finish(
        seeder,
        program,
        summary,
        requests,
        coordinator,
        to_match=(0, 2, 5, 8),
        fixed={0: demo_supporter},
    )
    return summary


# --- The health care worker network ----------------------------------------------------------

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


def build_hcw_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """A statewide network matching health care workers with peers in similar roles."""
    stress = _experience(
        "health-care-work-stress",
        "Stress from working in health care",
        ExperienceCategory.HEALTH_CARE_WORK,
    )
    adverse = _experience(
        "adverse-event", "Involvement in an adverse event", ExperienceCategory.HEALTH_CARE_WORK
    )
    program = make(
        Program,
        ProgramFactory,
        slug=HCW_SLUG,
        name=PROGRAM_NAMES[HCW_SLUG],
        description=(
            "Confidential peer-to-peer support for health care workers in Massachusetts facing "
            "staffing shortages, workplace safety issues, adverse events and other stresses "
            "of the work. We connect you with a colleague in a similar role, at your "
            "organization or another facility, within one business day."
        ),
        country="US",
        subdivision="MA",
        time_zone="America/New_York",
        sla_business_days=1,
        languages=[
            Language.ENGLISH,
            Language.SPANISH,
            Language.PORTUGUESE,
            Language.HAITIAN_CREOLE,
        ],
        contact_methods=[ContactMethod.PHONE, ContactMethod.VIDEO],
        accepts_public_requests=True,
        accepts_referrals=False,
        asks_work_role=True,
        eligibility_rules=[
            {"kind": "minimum_age", "years": 18},
            {"kind": "work_role", "roles": list(HCW_ROLES)},
            {
                "kind": "lived_experience",
                "experiences": ["health-care-work-stress", "adverse-event"],
                "relationships": ["colleague"],
            },
        ],
        match_length_weeks=None,
        supporter_commitment_months=12,
        expected_hours_min=Decimal(2),
        expected_hours_max=Decimal(4),
        contact_email="peer-support-network@example.org",
        contact_phone="617-555-0101",
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 988, any time. "
            "In an emergency, call 911."
        ),
        experiences=[stress, adverse],
    )
    program.full_clean()
    seeder.english_locale = "en_US"
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.hcw@{DEMO_DOMAIN}"), program)
    # Health-care workers are matched with a colleague from another facility.
    MatchingSettings.objects.update_or_create(program=program, defaults={"exclude_same_site": True})
    sites = [
        make(Site, SiteFactory, program=program, name=name, kind=SiteKind.FACILITY, region=region)
        for name, region in HCW_SITES
    ]
    methods = [str(method) for method in program.contact_methods]
    rng = seeder.rng

    def lived_at_work(years: tuple[float, float], adverse_event: bool) -> list[Lived]:
        lived = [Lived(stress, Relationship.COLLEAGUE, seeder.years_ago(*years))]
        if adverse_event:
            lived.append(Lived(adverse, Relationship.COLLEAGUE, seeder.years_ago(0.5, 6)))
        return lived

    demo_supporter = add_supporter(
        seeder,
        program,
        user=seeder.login_user(demo_login(f"supporter.hcw@{DEMO_DOMAIN}"), program),
        lived=lived_at_work((14, 14), adverse_event=True),
        languages=[Language.ENGLISH, Language.SPANISH],
        contact_methods=[ContactMethod.PHONE, ContactMethod.VIDEO],
        work_role="nurse",
        site=sites[0],
        region=sites[0].region,
        max_concurrent_matches=3,
        expected_hours_per_month=Decimal(4),
        gender=Gender.WOMAN,
        about="ICU nurse for 14 years; charge nurse on nights.",
    )
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
        add_supporter(
            seeder,
            program,
            lived=lived_at_work((2, 28), adverse_event=index % 3 == 0),
            languages=[other, Language.ENGLISH] if other else [Language.ENGLISH],
            contact_methods=_methods(rng, methods, rng.choice(methods)),
            work_role=role,
            site=site,
            region=site.region,
            status=_status_for(index, statuses),
            expected_hours_per_month=Decimal(rng.randint(2, 4)),
            away_until=seeder.today + dt.timedelta(days=10) if index == 10 else None,
            about=f"{role.capitalize()} at {site.name}.",
        )

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
        experience = adverse if index in (0, 4, 7) else stress
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=experience,
                relationship=Relationship.COLLEAGUE,
                about=rng.choice(HCW_ABOUT[experience.slug]),
                language=languages.get(index, Language.ENGLISH),
                contact_methods=tuple(_methods(rng, methods, rng.choice(methods))),
                source=Source.PHONE if index % 3 == 1 else Source.PUBLIC_FORM,
                work_role=role,
                site=sites[(index * 3 + 1) % len(sites)],
                since=seeder.years_ago(1, 15),
                preferences=("Someone from another hospital, please." if index % 4 == 0 else ""),
            )
        )
    requests = [
        add_request(seeder, program, spec, index=index, area_code="617", coordinator=coordinator)
        for index, spec in enumerate(specs)
    ]
    _finish(
        seeder,
        program,
        summary,
        requests,
        coordinator,
        to_match=(0, 2, 5),
        fixed={0: demo_supporter},
    )
    return summary


# --- The community mental health peer support workers ---------------------------------------

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


def build_bc_program(seeder: Seeder, admin_login: DemoLogin) -> ProgramSummary:
    """Paid peer support workers in community mental health teams; referral only, goal-based."""
    mental_health = _experience(
        "mental-health", "Mental health challenges", ExperienceCategory.MENTAL_HEALTH
    )
    substance_use = _experience(
        "substance-use", "Substance use challenges", ExperienceCategory.SUBSTANCE_USE
    )
    program = make(
        Program,
        ProgramFactory,
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
        sla_business_days=3,
        languages=[Language.ENGLISH, Language.CHINESE, Language.PUNJABI],
        contact_methods=[ContactMethod.PHONE, ContactMethod.IN_PERSON, ContactMethod.TEXT],
        accepts_public_requests=False,
        accepts_referrals=True,
        eligibility_rules=[
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
        ],
        match_length_weeks=None,
        supporter_commitment_months=12,
        expected_hours_min=Decimal(20),
        expected_hours_max=Decimal(60),
        contact_email="peer-support-workers@example.org",
        contact_phone="604-555-0102",
        crisis_message=(
            "If you are in crisis or thinking about suicide, call or text 9-8-8, any time. "
            "In an emergency, call 9-1-1."
        ),
        experiences=[mental_health, substance_use],
    )
    program.full_clean()
    summary = ProgramSummary(program.slug, program.name, created=True)
    seeder.login_user(admin_login, program)
    coordinator = seeder.login_user(demo_login(f"coordinator.bc@{DEMO_DOMAIN}"), program)
    seeder.login_user(demo_login(f"supervisor.bc@{DEMO_DOMAIN}"), program)
    referrer = seeder.login_user(demo_login(f"referrer.bc@{DEMO_DOMAIN}"), program)
    first_name, last_name = seeder.name(Language.ENGLISH)
    other_referrer = user_with_role(
        Role.REFERRER,
        program,
        first_name=first_name,
        last_name=last_name,
        email=seeder.email(first_name, last_name),
        time_zone=program.time_zone,
        password=_force_password(seeder.password_hash),
    )
    sites = [
        make(Site, SiteFactory, program=program, name=name, kind=SiteKind.CLINIC, region=region)
        for name, region in BC_SITES
    ]
    methods = [str(method) for method in program.contact_methods]
    rng = seeder.rng
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
        add_supporter(
            seeder,
            program,
            lived=lived,
            languages=[other, Language.ENGLISH] if other else [Language.ENGLISH],
            contact_methods=_methods(rng, methods, ContactMethod.IN_PERSON),
            is_paid=True,
            site=site,
            region=site.region,
            status=_status_for(index, statuses),
            expected_hours_per_month=Decimal(rng.choice([20, 30, 40, 60])),
            away_until=seeder.today + dt.timedelta(days=7) if index == 6 else None,
            about=about,
        )

    languages = {2: Language.CHINESE, 5: Language.PUNJABI}
    days = (9.0, 7.8, 6.2, 5.0, 3.9, 2.7, 1.6, 0.4)
    specs = []
    for index, days_ago in enumerate(days):
        experience = substance_use if index in (2, 6) else mental_health
        about = BC_ABOUT[4] if index == 2 else BC_ABOUT[index % len(BC_ABOUT)]
        specs.append(
            RequestSpec(
                days_ago=days_ago,
                experience=experience,
                relationship=Relationship.SELF,
                about=about,
                language=languages.get(index, Language.ENGLISH),
                contact_methods=tuple(_methods(rng, methods, ContactMethod.IN_PERSON)),
                source=Source.REFERRAL,
                site=sites[index % len(sites)],
                referred_by=other_referrer if index % 3 == 2 else referrer,
            )
        )
    requests = [
        add_request(seeder, program, spec, index=index, area_code="604", coordinator=coordinator)
        for index, spec in enumerate(specs)
    ]
    _finish(seeder, program, summary, requests, coordinator, to_match=(0, 3))
    return summary


# --- Entry point -----------------------------------------------------------------------------

BUILDERS: dict[str, Callable[[Seeder, DemoLogin], ProgramSummary]] = {
    MS_SLUG: build_ms_program,
    HCW_SLUG: build_hcw_program,
    BC_SLUG: build_bc_program,
}


def seed_demo(now: dt.datetime | None = None) -> list[ProgramSummary]:
    """Build every demo program that does not exist yet, in one transaction."""
    now = now or timezone.now()
    password_hash = ""
    admin_login = demo_login(f"admin@{DEMO_DOMAIN}")
    summaries: list[ProgramSummary] = []
    with transaction.atomic():
        for number, (slug, build) in enumerate(BUILDERS.items()):
            existing = Program.objects.filter(slug=slug).first()
            if existing is not None:
                summaries.append(ProgramSummary(slug, existing.name, created=False))
                continue
            # Seed per program, so each program's people are the same whatever else exists.
            _reseed_random(SEED + number)
            password_hash = password_hash or make_password(DEMO_PASSWORD)
            seeder = Seeder(now=now, rng=random.Random(SEED + number), password_hash=password_hash)
            summaries.append(build(seeder, admin_login))
    return summaries


def login_rows() -> list[tuple[str, str, str, str]]:
    """(e-mail, role, program, password) for each demo login."""
    rows = []
    for login in DEMO_LOGINS:
        program = (
            PROGRAM_NAMES[login.program_slug]
            if login.program_slug
            else "All demo programs + Django admin"
        )
        rows.append((login.email, str(login.role.label), program, DEMO_PASSWORD))
    return rows


# ---- the life of a match: check-ins, goals, hours, resources, outcomes ---------------------

DEMO_RESOURCES: tuple[tuple[str, str, str, list[str]], ...] = (
    (
        "Community counselling centre",
        "Short-term counselling, free.",
        "mental_health",
        ["en", "fr"],
    ),
    ("Food bank", "Groceries once a week; no questions asked.", "food", ["en"]),
    ("Legal aid clinic", "Free advice on housing, work and benefits.", "legal", ["en", "fr"]),
    ("Crisis line", "Talk or text any time, day or night.", "crisis", ["en", "fr", "zh", "pa"]),
)


def configure_match_life(program: Program) -> None:
    """Check-ins at 1, 3 and 6 months for fixed-length programs; goals for the others; the
    loneliness and wellbeing scales at start, milestones and closure, satisfaction at closure."""
    from alongside.outcomes.models import Instrument, ProgramInstrument
    from alongside.outcomes.seed import seed_instruments

    if program.match_length_weeks:
        program.checkin_months = [1, 3, 6]
    else:
        program.is_goal_based = True
    program.save(update_fields=["checkin_months", "is_goal_based"])
    seed_instruments(Instrument)
    for slug, at_start in (
        ("loneliness-3", True),
        ("wellbeing-short", True),
        ("satisfaction", False),
    ):
        ProgramInstrument.objects.get_or_create(
            program=program,
            instrument=Instrument.objects.get(slug=slug),
            defaults={"at_start": at_start, "at_milestones": at_start, "at_closure": True},
        )


def add_match_life(seeder: Seeder, program: Program, coordinator: User) -> None:
    """Resources in the directory, goals on goal-based matches, and last month's hours reports
    (some confirmed, some still missing for the coordinator's follow-up queue)."""
    from alongside.matches.factories import HoursReportFactory
    from alongside.matches.hours import first_of_previous_month
    from alongside.matches.models import HoursReport
    from alongside.matches.services.goals import add_goal, update_goal
    from alongside.resources.factories import ResourceFactory
    from alongside.resources.models import Resource

    region = program.subdivision or program.country
    for name, offers, category, languages in DEMO_RESOURCES:
        make(
            Resource,
            ResourceFactory,
            program=program,
            name=name,
            offers=offers,
            category=category,
            region=region,
            languages=[code for code in languages if code in program.languages] or ["en"],
            last_reviewed_on=seeder.today - dt.timedelta(days=seeder.rng.randint(10, 200)),
        )
    open_matches = list(program.matches.open().select_related("supporter__user"))
    if program.is_goal_based:
        for match in open_matches:
            for description in ("Get back to a weekly routine", "Reconnect with one friend"):
                add_goal(
                    match=match,
                    by=match.supporter.user,
                    description=description,
                    review_on=seeder.today + dt.timedelta(days=28),
                )
            first = match.goals.first()
            if first is not None:
                update_goal(
                    goal=first,
                    by=match.supporter.user,
                    note="Two weeks in a row now.",
                    status=first.status,
                    review_on=first.review_on,
                )
    month = first_of_previous_month(seeder.today)
    supporters = {match.supporter for match in open_matches}
    for number, supporter in enumerate(sorted(supporters, key=lambda one: one.pk)):
        minutes = seeder.rng.choice([90, 150, 210])
        contacts = seeder.rng.randint(2, 5)
        confirmed = number % 2 == 0  # the others wait in the coordinator's follow-up queue
        make(
            HoursReport,
            HoursReportFactory,
            supporter=supporter,
            month=month,
            logged_minutes=minutes,
            logged_contacts=contacts,
            confirmed_minutes=minutes if confirmed else None,
            confirmed_contacts=contacts if confirmed else None,
            confirmed_at=seeder.now - dt.timedelta(days=2) if confirmed else None,
        )


def add_check_in_meetings(seeder: Seeder, program: Program, coordinator: User) -> None:
    """Last month's supporter check-in meeting with its attendance taken, and next one's with
    every active supporter invited (the first of them has said they will come)."""
    from alongside.groups.factories import AttendanceFactory, GroupSessionFactory
    from alongside.groups.models import Attendance, AttendanceStatus, GroupSession, SessionKind
    from alongside.groups.services import answer_invitation, invite_supporters, schedule_session

    zone = program.calendar.zone
    evening = dt.time(18, 30)
    past = make(
        GroupSession,
        GroupSessionFactory,
        program=program,
        kind=SessionKind.CHECK_IN,
        title="Monthly supporter check-in",
        starts_at=dt.datetime.combine(seeder.today - dt.timedelta(days=21), evening, tzinfo=zone),
        length_minutes=60,
        video_link="https://meet.example.org/supporter-check-in",
        created_by=coordinator,
    )
    active = list(program.supporters.filter(status=SupporterStatus.ACTIVE).order_by("pk"))
    for number, supporter in enumerate(active):
        make(
            Attendance,
            AttendanceFactory,
            session=past,
            supporter=supporter,
            status=AttendanceStatus.ABSENT if number % 3 == 2 else AttendanceStatus.ATTENDED,
            invited_at=past.starts_at - dt.timedelta(days=10),
            recorded_by=coordinator,
            recorded_at=past.ends_at + dt.timedelta(hours=1),
        )
    upcoming = schedule_session(
        program=program,
        by=coordinator,
        kind=SessionKind.CHECK_IN,
        title="Monthly supporter check-in",
        starts_at=dt.datetime.combine(seeder.today + dt.timedelta(days=9), evening, tzinfo=zone),
        length_minutes=60,
        place="",
        video_link="https://meet.example.org/supporter-check-in",
        capacity=None,
        notes="Bring one thing that went well this month, and one thing that was hard.",
    )
    if active:
        invited = invite_supporters(session=upcoming, by=coordinator)
        answer_invitation(attendance=invited[0], by=invited[0].supporter.user, coming=True)
