"""The demo's people: supporters with their lived experiences, requests, and matches with contacts.

Everything goes through the services (supporters, intake, matches), so the demo has the audit
events and outbox messages that real use leaves. One step is the demo's own: the services stamp
a request, its peer and a match with the moment they run, and no service changes when something
happened, so the demo dates them back afterwards (`_date_request_back`, `_date_match_back`) to
look lived-in: requests that arrived over two weeks, some now overdue, matches made soon after.
A request's consents are dated back with it; three people in four agree to the questionnaires
their program sends, when the form asks.
"""

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from alongside.accounts.models import User
from alongside.core.consent import Agreement
from alongside.demo.shared import TOKEN_NAMESPACE, Seeder, phone
from alongside.intake.consent import GIVEN_HOW
from alongside.intake.hooks import consent_questions
from alongside.intake.models import Peer, Source, SupportRequest
from alongside.intake.referrals import ClientConsent, refer_client
from alongside.intake.services import submit_support_request
from alongside.matches.models import Match, SupportType
from alongside.matches.services.contacts import log_contact
from alongside.matches.services.lifecycle import start_match
from alongside.matches.services.offboarding import offboard_supporter
from alongside.matching.queries import shortlist
from alongside.matching.snapshot import snapshot_for
from alongside.privacy.models import Consent, ConsentText
from alongside.programs.models import (
    ContactMethod,
    Experience,
    Gender,
    Language,
    Program,
    Relationship,
    Site,
)
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.services.profile import (
    add_lived_experience,
    add_supporter,
    update_profile,
)


@dataclass(frozen=True)
class Lived:
    experience: Experience
    relationship: Relationship
    since: dt.date | None


@dataclass(frozen=True)
class Profile:
    """What the demo says about one supporter beyond their experiences and languages."""

    contact_methods: Sequence[str]
    about: str
    status: SupporterStatus = SupporterStatus.ACTIVE
    region: str = ""
    time_zone: str = ""  # the program's when empty
    expected_hours_per_month: Decimal | None = None
    max_concurrent_matches: int | None = None  # chosen at random when None
    gender: str | None = None  # chosen at random when None
    away_until: dt.date | None = None
    work_role: str = ""
    site: Site | None = None
    is_paid: bool = False


def add_demo_supporter(
    seeder: Seeder,
    program: Program,
    coordinator: User,
    *,
    user: User | None = None,
    lived: Sequence[Lived],
    languages: Sequence[str],
    profile: Profile,
) -> Supporter:
    """One supporter through the supporters services: added by the coordinator, with their
    profile and lived experiences; one "on a break" is added active and then sent on it."""
    rng = seeder.rng
    time_zone = profile.time_zone or program.time_zone
    if user is None:
        user = seeder.person(languages[0], time_zone)
    on_break = profile.status == SupporterStatus.ON_BREAK
    supporter = add_supporter(
        program=program,
        user=user,
        by=coordinator,
        status=SupporterStatus.ACTIVE if on_break else profile.status,
        languages=list(languages),
        contact_methods=list(profile.contact_methods),
        is_paid=profile.is_paid,
        gender=rng.choice([Gender.WOMAN, Gender.WOMAN, Gender.MAN, ""])
        if profile.gender is None
        else profile.gender,
        birth_year=seeder.today.year - rng.randint(24, 68),
        about=profile.about,
    )
    changes = _profile_changes(seeder, profile) | {"time_zone": time_zone}
    update_profile(supporter=supporter, by=coordinator, changes=changes)
    for item in lived:
        add_lived_experience(
            supporter=supporter,
            by=coordinator,
            experience=item.experience,
            relationship=item.relationship,
            since=item.since,
        )
    if on_break:
        offboard_supporter(
            supporter=supporter,
            by=coordinator,
            status=SupporterStatus.ON_BREAK,
            reason="Taking a few months off after a move.",
            away_until=seeder.today + dt.timedelta(days=rng.randint(30, 90)),
        )
    return supporter


def _profile_changes(seeder: Seeder, profile: Profile) -> dict[str, object]:
    """The profile fields the coordinator fills in; a commitment for those past screening."""
    changes: dict[str, object] = {
        "region": profile.region,
        "expected_hours_per_month": profile.expected_hours_per_month,
        "max_concurrent_matches": profile.max_concurrent_matches or seeder.rng.choice([1, 2, 2, 3]),
        "away_until": profile.away_until,
        "work_role": profile.work_role,
        "site": profile.site,
    }
    if profile.status not in (SupporterStatus.SCREENING, SupporterStatus.APPLIED):
        # The commitment's end follows from the program's length.
        changes["commitment_starts_on"] = seeder.today - dt.timedelta(
            days=seeder.rng.randint(20, 330)
        )
    return {name: value for name, value in changes.items() if value not in ("", None)}


def status_for(index: int, statuses: dict[int, SupporterStatus]) -> SupporterStatus:
    return statuses.get(index, SupporterStatus.ACTIVE)


def methods_from(rng: random.Random, offered: Sequence[str], first: str) -> list[str]:
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
    # A referral made through the referral form: its goals and the client's consent.
    goals: tuple[str, ...] = ()
    consent: ClientConsent | None = None


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
    also_agreed = _also_agreed(program, spec.source, index=index)
    if spec.consent is not None and spec.referred_by is not None:
        support_request = refer_client(
            program=program,
            referrer=spec.referred_by,
            submission_token=uuid.uuid5(TOKEN_NAMESPACE, f"{program.slug}:{index}"),
            first_name=first_name,
            last_name=last_name,
            language=spec.language,
            contact_methods=list(spec.contact_methods),
            phone=phone(area_code, seeder.rng),
            goals=list(spec.goals),
            site=spec.site,
            experience=spec.experience,
            consent=spec.consent,
            also_agreed=also_agreed,
        )
        return _date_back(seeder, program, spec, support_request)
    support_request = submit_support_request(
        program=program,
        source=spec.source,
        submission_token=uuid.uuid5(TOKEN_NAMESPACE, f"{program.slug}:{index}"),
        first_name=first_name,
        last_name=last_name,
        email=seeder.email(first_name, last_name, domain="example.net"),
        phone=phone(area_code, seeder.rng),
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
        also_agreed=also_agreed,
        entered_by=coordinator if spec.source == Source.PHONE else None,
        referred_by=spec.referred_by,
    )
    return _date_back(seeder, program, spec, support_request)


def _also_agreed(program: Program, source: Source, *, index: int) -> list[Agreement]:
    """What else the form asked (the program's questionnaires), agreed to by three in four."""
    if index % 4 == 3:
        return []
    return [wording.agreed() for wording in consent_questions(program, GIVEN_HOW[source])]


def _date_back(
    seeder: Seeder, program: Program, spec: RequestSpec, support_request: SupportRequest
) -> SupportRequest:
    received_at = seeder.moment(
        program, spec.days_ago, office_hours=spec.source != Source.PUBLIC_FORM
    )
    return _date_request_back(support_request, received_at)


def _date_request_back(support_request: SupportRequest, received_at: dt.datetime) -> SupportRequest:
    """The demo's own step (see the module's docstring): the request arrived at `received_at`
    and is due when the program's promise says, counted from then."""
    program = support_request.program
    due_at = program.calendar.due_at(received_at, program.sla_business_days)
    SupportRequest.objects.filter(pk=support_request.pk).update(
        received_at=received_at, consent_given_at=received_at, due_at=due_at
    )
    Peer.objects.filter(pk=support_request.peer_id).update(created_at=received_at)
    consents = Consent.objects.filter(support_request=support_request)
    consents.update(given_at=received_at)
    ConsentText.objects.filter(
        pk__in=consents.values("text_id"), first_agreed_at__gt=received_at
    ).update(first_agreed_at=received_at)
    support_request.refresh_from_db()
    return support_request


def add_match(
    seeder: Seeder,
    support_request: SupportRequest,
    coordinator: User,
    *,
    notes: Sequence[str],
    supporter: Supporter | None = None,
) -> tuple[Match, int] | None:
    """Start a match through the service (best shortlisted supporter unless one is given), date
    it back after the request arrived, and log one to four contacts through the service."""
    if supporter is None:
        snapshot_for(support_request.program)  # the worker's job: the demo waits for it here
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
    match = _date_match_back(match, started_at)
    return match, log_contacts(seeder, match, notes)


def _date_match_back(match: Match, started_at: dt.datetime) -> Match:
    """The demo's own step (see the module's docstring): the match started at `started_at`."""
    program = match.program
    Match.objects.filter(pk=match.pk).update(
        started_at=started_at,
        planned_end_on=(
            program.calendar.today(started_at) + dt.timedelta(weeks=program.match_length_weeks)
            if program.match_length_weeks
            else None
        ),
    )
    match.refresh_from_db()
    return match


def log_contacts(seeder: Seeder, match: Match, notes: Sequence[str]) -> int:
    """One to four contacts through the service since the match started; the first of several
    is sometimes an attempt that reached nobody."""
    supporter, program = match.supporter, match.program
    methods = [m for m in match.request.contact_methods if m in supporter.contact_methods]
    method = methods[0] if methods else supporter.contact_methods[0]
    count = seeder.rng.randint(1, 4)
    moments = sorted(
        seeder.between(
            program,
            match.started_at + dt.timedelta(hours=1),
            seeder.now - dt.timedelta(minutes=30),
            (9, 20),
        )
        for _ in range(count)
    )
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
    return count
