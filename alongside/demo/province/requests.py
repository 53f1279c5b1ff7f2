"""A program's requests, written in bulk in its intake shape: by the public form or the phone
(entered by the coordinator), or by referral with the client's goals and recorded consent.
Each person's consents are written with their request, in the words of its form: to support,
to the questionnaires the program sends, and, for half the referred clients, to what their
referrer hears back.

A request that a match will take is asked to fit its supporter: a language they speak, a way to
be contacted they offer, an experience they lived as the person relates to it, and (where the
program matches across facilities) another site. Waiting requests ask what people usually ask:
English mostly, a phone call mostly, the program's main experience mostly.
"""

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils import timezone

from alongside.core.consent import Agreement
from alongside.demo.bc import BC_ABOUT, BC_GOALS
from alongside.demo.hcw import HCW_ABOUT
from alongside.demo.ms import MS_ABOUT
from alongside.demo.province.programs import BC, HCW, ProvinceProgram
from alongside.demo.province.supporters import bulk
from alongside.demo.shared import Seeder, phone
from alongside.intake.consent import GIVEN_HOW, SUPPORT_WORDING, referrer_sharing
from alongside.intake.models import (
    Peer,
    Referral,
    ReferralConsent,
    RequestStatus,
    Source,
    SupportRequest,
)
from alongside.intake.referrals import REFERRAL_CONSENT
from alongside.outcomes.consent import SURVEYS_CONSENT
from alongside.privacy.models import Consent, ConsentText
from alongside.privacy.services import text_agreed
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.supporters.models import Supporter

AREA_CODES = ("416", "617", "604")


@dataclass(frozen=True)
class Asked:
    """What one request asks, before it is written."""

    received_at: dt.datetime
    status: RequestStatus
    language: str
    methods: list[str]
    experience_id: int
    relationship: str
    site_id: int | None = None
    work_role: str = ""


def add_requests(
    seeder: Seeder, place: ProvinceProgram, asked: list[Asked]
) -> list[SupportRequest]:
    """The requests as asked, each with its peer (and, by referral, its referral and consent)."""
    program = place.program
    area_code = AREA_CODES[(place.number - 1) % len(AREA_CODES)]
    peers, requests = [], []
    for number, one in enumerate(asked, start=1):
        first_name, last_name = seeder.name(one.language)
        peer = Peer(
            program=program,
            first_name=first_name,
            last_name=last_name,
            email=f"peer{number}.p{place.number}@example.net",
            phone=phone(area_code, seeder.rng),
            language=one.language,
        )
        peers.append(peer)
        requests.append(_request(seeder, place, one, peer))
    bulk(peers)
    for request_, peer in zip(requests, peers, strict=True):
        request_.peer = peer
    requests = bulk(requests)
    _add_consents(requests)
    if place.takes_referrals_only:
        _add_referrals(seeder, place, requests)
    return requests


def _consents(
    requests: Sequence[SupportRequest], agreed: Callable[[SupportRequest], list[Agreement]]
) -> list[Consent]:
    """What each person agreed to, as the form would keep it (each text read once)."""
    texts: dict[Agreement, ConsentText] = {}
    consents = []
    for request_ in requests:
        for agreement in agreed(request_):
            if agreement not in texts:
                texts[agreement] = text_agreed(agreement, at=timezone.now())
            consents.append(
                Consent(
                    program_id=request_.program_id,
                    purpose=agreement.purpose,
                    support_request=request_,
                    peer_id=request_.peer_id,
                    text=texts[agreement],
                    given_at=request_.consent_given_at,
                    given_how=GIVEN_HOW[Source(request_.source)],
                    recorded_by_id=request_.entered_by_id or request_.referred_by_id,
                )
            )
    return consents


def _support_and_surveys(request_: SupportRequest) -> list[Agreement]:
    source = Source(request_.source)
    return [SUPPORT_WORDING[source].agreed(), SURVEYS_CONSENT[GIVEN_HOW[source]].agreed()]


def _add_consents(requests: Sequence[SupportRequest]) -> None:
    """Consent to support, and to the program's questionnaires, for everyone who asked."""
    bulk(_consents(requests, _support_and_surveys))


def _request(seeder: Seeder, place: ProvinceProgram, one: Asked, peer: Peer) -> SupportRequest:
    rng, program = seeder.rng, place.program
    if place.takes_referrals_only:
        source = Source.REFERRAL
    else:
        source = Source.PHONE if rng.random() < 1 / 3 else Source.PUBLIC_FORM
    return SupportRequest(
        program=program,
        peer=peer,
        source=source,
        status=one.status,
        experience_id=one.experience_id,
        relationship=one.relationship,
        experience_since=seeder.years_ago(0.1, 3),
        work_role=one.work_role,
        site_id=one.site_id,
        contact_methods=one.methods,
        language=one.language,
        about=_about(seeder, place, one),
        consent_given_at=one.received_at,
        received_at=one.received_at,
        due_at=program.calendar.due_at(one.received_at, program.sla_business_days),
        submission_token=uuid.UUID(int=rng.getrandbits(128), version=4),
        referred_by=place.referrer if source == Source.REFERRAL else None,
        entered_by=place.coordinator if source == Source.PHONE else None,
    )


def _about(seeder: Seeder, place: ProvinceProgram, one: Asked) -> str:
    if place.shape is BC:
        return seeder.rng.choice(BC_ABOUT)
    if place.shape is HCW:
        return seeder.rng.choice(HCW_ABOUT["health-care-work-stress"])
    return seeder.rng.choice(
        MS_ABOUT["family" if one.relationship == Relationship.FAMILY else "self"]
    )


def _add_referrals(seeder: Seeder, place: ProvinceProgram, requests: list[SupportRequest]) -> None:
    referrals = bulk(
        Referral(request=request_, goals="\n".join(BC_GOALS[number % len(BC_GOALS)]))
        for number, request_ in enumerate(requests)
    )
    bulk(
        ReferralConsent(
            referral=referral,
            text_version=REFERRAL_CONSENT.version,
            purpose=str(REFERRAL_CONSENT.purpose),
            shared=[str(item) for item in REFERRAL_CONSENT.shared],
            shared_with=[str(audience) for audience in REFERRAL_CONSENT.shared_with],
            referrer_may_know_who=number % 2 == 0,
            summary_to_referrer=number % 2 == 0,
            given_at=request_.received_at,
            recorded_by=place.referrer,
        )
        for number, (referral, request_) in enumerate(zip(referrals, requests, strict=True))
    )
    told = referrer_sharing(may_know_who=True, summary=True)
    assert told is not None
    bulk(_consents(requests[::2], lambda request_: [told]))


def waiting(seeder: Seeder, place: ProvinceProgram) -> Asked:
    """A request still waiting: it came in over the last three weeks, some are overdue."""
    rng, program = seeder.rng, place.program
    offered = [str(method) for method in program.contact_methods]
    others = [code for code in program.languages if code != Language.ENGLISH]
    language = rng.choice(others) if others and rng.random() < 0.1 else Language.ENGLISH
    first = ContactMethod.PHONE if rng.random() < 0.9 else rng.choice(offered)
    methods = list(dict.fromkeys([first, *rng.sample(offered, rng.randint(0, len(offered) - 1))]))
    experience = place.experiences[0] if rng.random() < 0.8 else rng.choice(place.experiences)
    relationship = (
        Relationship.COLLEAGUE
        if place.shape is HCW
        else Relationship.FAMILY
        if place.shape is not BC and rng.random() < 0.25
        else Relationship.SELF
    )
    return Asked(
        received_at=seeder.now - dt.timedelta(days=rng.uniform(0.05, 21)),
        status=RequestStatus.NEW,
        language=language,
        methods=methods,
        experience_id=experience.pk,
        relationship=relationship,
        site_id=rng.choice(place.sites).pk if place.sites else None,
        work_role=rng.choice(("nurse", "physician", "pharmacist")) if place.shape is HCW else "",
    )


def fitting(
    seeder: Seeder, place: ProvinceProgram, supporter: Supporter, lived: list[tuple[int, str]]
) -> Asked:
    """A request that was matched with `supporter`: it asks what they offer."""
    rng = seeder.rng
    shared = rng.choice(supporter.contact_methods)
    offered = [str(method) for method in place.program.contact_methods if method != shared]
    experience_id, relationship = rng.choice(lived)
    other_sites = [site for site in place.sites if site.pk != supporter.site_id]
    return Asked(
        received_at=seeder.now - dt.timedelta(days=rng.uniform(3, 150)),
        status=RequestStatus.MATCHED,
        language=rng.choice(supporter.languages),
        methods=[shared, *rng.sample(offered, rng.randint(0, min(2, len(offered))))],
        experience_id=experience_id,
        relationship=relationship,
        site_id=rng.choice(other_sites).pk if other_sites else None,
        work_role=supporter.work_role,
    )
