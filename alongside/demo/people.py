"""The demo's people: supporters with their lived experiences, requests, and matches with contacts.

Requests, matches and contacts go through the intake and matches services, so the demo has the
audit events and outbox messages that real use leaves; then the demo dates them back.
"""

import datetime as dt
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from alongside.accounts.models import User
from alongside.demo.shared import TOKEN_NAMESPACE, Seeder, make, phone
from alongside.intake.factories import PeerFactory
from alongside.intake.models import Peer, Source, SupportRequest
from alongside.intake.services import submit_support_request
from alongside.matches.models import Match, SupportType
from alongside.matches.services.contacts import log_contact
from alongside.matches.services.lifecycle import start_match
from alongside.matching.queries import shortlist
from alongside.programs.models import (
    ContactMethod,
    Experience,
    Gender,
    Language,
    Program,
    Relationship,
    Site,
)
from alongside.supporters.factories import LivedExperienceFactory, SupporterFactory
from alongside.supporters.models import LivedExperience, Supporter, SupporterStatus


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
    return match, log_contacts(seeder, match, notes)


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
