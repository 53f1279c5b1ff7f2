"""A program's supporters as arrays, and its requests, in the codes of one vocabulary.

The scoring maths (`scoring.py`) reads only arrays. A program's snapshot is built from plain
values (`rows.py`, `table.py`); `build_pool` builds a pool from model objects, which the fresh
check of one pair uses (`queries.check_pair`): a second, independent reading of the same rules.
Requests are put in the codes of the snapshot they are scored against (`needs_for`).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
from django.db.models import Count, F, Q, QuerySet, Sum, Value
from django.utils import timezone

from alongside.intake.models import RequestStatus, SupportRequest
from alongside.matches.models import OPEN_MATCH_STATUSES, ContactLog, Match
from alongside.matching.models import HOLDING_STATUSES, Conflict, Proposal, ProposalStatus
from alongside.matching.scoring import NONE, RELATIONSHIP_BITS, Need, SupporterPool
from alongside.programs.models import ContactMethod, Gender, Language, Program
from alongside.supporters.availability import parse_windows, week_mask, windows_for_day_parts
from alongside.supporters.models import Supporter, SupporterStatus
from alongside.supporters.queries import readiness_of

GONE = (SupporterStatus.ALUMNI, SupporterStatus.WITHDRAWN)
# A request's role nobody in the pool has: compares unequal to every supporter's role code.
UNKNOWN = -2

LANGUAGE_BITS = {value: 1 << index for index, value in enumerate(Language.values)}
METHOD_BITS = {value: 1 << index for index, value in enumerate(ContactMethod.values)}
GENDER_CODES = {value: index for index, value in enumerate(Gender.values) if value}
GENDER_BITS = {value: 1 << code for value, code in GENDER_CODES.items()}


# The pool's one-number-per-supporter columns, filled row by row.
_INTEGER_COLUMNS = (
    "ids",
    "languages",
    "methods",
    "role",
    "site",
    "region",
    "utc_offset_minutes",
    "birth_year",
    "gender",
    "availability",
    "capacity",
    "accepts_genders",
    "accepts_relationships",
)


def bits_of(values: Iterable[str], codes: dict[str, int]) -> int:
    bits = 0
    for value in values:
        bits |= codes.get(value, 0)
    return bits


def normal(text: str) -> str:
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Vocabulary:
    """The codes a pool uses for things that vary by program: experiences, roles, regions."""

    families: dict[str, int]
    roles: dict[str, int]
    regions: dict[str, int]

    def role(self, text: str) -> int:
        return self.roles.get(normal(text), UNKNOWN) if text.strip() else NONE

    def region(self, text: str) -> int:
        return self.regions.get(normal(text), UNKNOWN) if text.strip() else NONE


def offset_minutes(zone: ZoneInfo, moment: dt.datetime) -> int:
    offset = moment.astimezone(zone).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


def zone_or(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ValueError, KeyError):
        return fallback


@dataclass(frozen=True)
class LiveState:
    """What changes with every proposal, so no snapshot holds it: places in use per supporter
    (open matches and proposals holding a place) and, per request, the supporters who declined
    it before and those with a recorded conflict with its peer."""

    load: dict[int, int]
    declined: dict[int, set[int]]
    conflicts: dict[int, set[int]]


_LOAD, _DECLINED, _CONFLICT = 0, 1, 2


def _tagged(rows: QuerySet[Any], kind: int, key: Any, count: Any) -> QuerySet[Any]:
    """Rows of one shape, (kind, key, supporter, count), so that their kinds read as one."""
    tagged = rows.order_by().annotate(kind=Value(kind), key=key, count=count)
    shaped: QuerySet[Any] = tagged.values_list("kind", "key", "supporter_id", "count")
    return shaped


def live_state(
    program_id: int,
    requests: Sequence[SupportRequest] = (),
    *,
    supporter_ids: Sequence[int] | None = None,
    load: bool = True,
) -> LiveState:
    """The program's load (of `supporter_ids` only, when given; none without `load`) and the
    requests' barred pairs, read fresh in one query."""
    matches = Match.objects.filter(program_id=program_id, status__in=OPEN_MATCH_STATUSES)
    proposals = Proposal.objects.filter(program_id=program_id, status__in=HOLDING_STATUSES)
    if supporter_ids is not None:
        matches = matches.filter(supporter_id__in=supporter_ids)
        proposals = proposals.filter(supporter_id__in=supporter_ids)
    parts = [
        _tagged(holding.values("supporter_id"), _LOAD, Value(0), Count("pk"))
        for holding in ((matches, proposals) if load else ())
    ]
    if requests:
        declined = Proposal.objects.filter(
            request__in=[request.pk for request in requests], status=ProposalStatus.DECLINED
        )
        conflicts = Conflict.objects.filter(peer_id__in={request.peer_id for request in requests})
        parts.append(_tagged(declined, _DECLINED, F("request_id"), Value(1)))
        parts.append(_tagged(conflicts, _CONFLICT, F("peer_id"), Value(1)))
    state = LiveState(load={}, declined={request.pk: set() for request in requests}, conflicts={})
    by_peer: dict[int, set[int]] = {}
    rows = parts[0].union(*parts[1:], all=True).order_by() if parts else ()
    for kind, key, supporter_id, count in rows:
        if kind == _LOAD:
            state.load[supporter_id] = state.load.get(supporter_id, 0) + count
        elif kind == _DECLINED:
            state.declined[key].add(supporter_id)
        else:
            by_peer.setdefault(key, set()).add(supporter_id)
    for request in requests:
        state.conflicts[request.pk] = by_peer.get(request.peer_id, set())
    return state


def current_load(program_id: int, supporter_ids: Sequence[int] | None = None) -> dict[int, int]:
    """Places in use per supporter: open matches and proposals holding a place (one query)."""
    return live_state(program_id, supporter_ids=supporter_ids).load


def _hours_this_month(supporter_ids: Sequence[int], since: dt.datetime) -> dict[int, Decimal]:
    rows = (
        ContactLog.objects.filter(match__supporter_id__in=supporter_ids, occurred_at__gte=since)
        .values_list("match__supporter_id")
        .annotate(minutes=Sum("minutes"))
    )
    return {supporter_id: Decimal(minutes) / 60 for supporter_id, minutes in rows}


def _region_of(supporter: Supporter) -> str:
    """Their own region, or else their site's."""
    return supporter.region or (supporter.site.region if supporter.site else "")


def _vocabulary_of(supporters: Sequence[Supporter]) -> Vocabulary:
    families: dict[str, int] = {}
    roles: dict[str, int] = {}
    regions: dict[str, int] = {}
    for supporter in supporters:
        for lived in supporter.experiences.all():
            families.setdefault(lived.experience.family_slug, len(families))
        if supporter.work_role.strip():
            roles.setdefault(normal(supporter.work_role), len(roles))
        if _region_of(supporter).strip():
            regions.setdefault(normal(_region_of(supporter)), len(regions))
    return Vocabulary(families=families, roles=roles, regions=regions)


def _integer_values(
    supporter: Supporter, vocabulary: Vocabulary, zone: ZoneInfo, now: dt.datetime
) -> dict[str, int]:
    """One supporter's row of the pool's one-number columns (`_INTEGER_COLUMNS`)."""
    return {
        "ids": supporter.pk,
        "languages": bits_of(supporter.languages, LANGUAGE_BITS),
        "methods": bits_of(supporter.contact_methods, METHOD_BITS),
        "role": vocabulary.role(supporter.work_role),
        "site": supporter.site_id or NONE,
        "region": vocabulary.region(_region_of(supporter)),
        "utc_offset_minutes": offset_minutes(zone, now),
        "birth_year": supporter.birth_year or 0,
        "gender": GENDER_CODES.get(supporter.gender, NONE),
        "availability": week_mask(parse_windows(supporter.availability), zone, now),
        "capacity": supporter.max_concurrent_matches,
        "accepts_genders": bits_of(supporter.supports_genders, GENDER_BITS),
        "accepts_relationships": bits_of(supporter.supports_relationships, RELATIONSHIP_BITS),
    }


def build_pool(
    program: Program, supporters: Sequence[Supporter], *, now: dt.datetime
) -> tuple[SupporterPool, Vocabulary]:
    """The supporters as arrays, in codes of their own vocabulary (supporters need
    `experiences__experience__allied_to` prefetched)."""
    program_zone = program.calendar.zone
    today = timezone.localdate(now, program_zone)
    candidates = [
        supporter
        for supporter in supporters
        if supporter.status == SupporterStatus.ACTIVE
        and not (supporter.away_until and supporter.away_until >= today)
    ]
    readiness = readiness_of(candidates, today)
    hours = _hours_this_month([supporter.pk for supporter in supporters], now - dt.timedelta(30))

    vocabulary = _vocabulary_of(supporters)
    families = vocabulary.families

    size = len(supporters)
    relationships = np.zeros((size, max(len(families), 1)), dtype=np.int8)
    years_lived = np.zeros((size, max(len(families), 1)), dtype=np.float32)
    columns: dict[str, list[int]] = {name: [] for name in _INTEGER_COLUMNS}
    pledge_used: list[float] = []
    for row, supporter in enumerate(supporters):
        for lived in supporter.experiences.all():
            family = families[lived.experience.family_slug]
            relationships[row, family] |= RELATIONSHIP_BITS.get(lived.relationship, 0)
            if lived.since:
                years = (today - lived.since).days / 365.25
                years_lived[row, family] = max(years_lived[row, family], years)
        zone = zone_or(supporter.time_zone, program_zone)
        for name, value in _integer_values(supporter, vocabulary, zone, now).items():
            columns[name].append(value)
        pledged = supporter.expected_hours_per_month
        given = hours.get(supporter.pk, Decimal(0))
        pledge_used.append(float(given / pledged) if pledged else 0.0)

    ready = np.array(
        [
            supporter.pk in readiness and readiness[supporter.pk].is_ready
            for supporter in supporters
        ],
        dtype=bool,
    )
    arrays = {name: np.array(values, dtype=np.int64) for name, values in columns.items()}
    pool = SupporterPool(
        ready=ready,
        relationships=relationships,
        years_lived=years_lived,
        open_matches=np.zeros(size, dtype=np.int64),
        pledge_used=np.array(pledge_used, dtype=np.float64),
        **arrays,
    )
    return pool, vocabulary


def program_supporters(program_id: int, *, only: Sequence[int] | None = None) -> list[Supporter]:
    """A program's supporters (or `only` those) with what `build_pool` reads."""
    supporters = Supporter.objects.filter(program_id=program_id)
    if only is not None:
        supporters = supporters.filter(pk__in=only)
    return list(
        supporters.select_related("site", "user")
        .prefetch_related("experiences__experience__allied_to")
        .order_by("pk")
    )


def urgency(support_request: SupportRequest, now: dt.datetime) -> float:
    """0 when it just arrived, 1 at or past the time the program promised to be in touch."""
    promised = (support_request.due_at - support_request.received_at).total_seconds()
    if promised <= 0:
        return 1.0
    waited = (now - support_request.received_at).total_seconds()
    return min(max(waited / promised, 0.0), 1.0)


def barred_pairs(
    requests: Sequence[SupportRequest],
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Per request of one program: the supporters who declined it before, and those with a
    recorded conflict (read with the program's load: see `live_state`)."""
    if not requests:
        return {}, {}
    state = live_state(requests[0].program_id, requests, load=False)
    return state.declined, state.conflicts


def needs_for(
    requests: Sequence[SupportRequest],
    vocabulary: Vocabulary,
    *,
    exclude_same_site: bool,
    now: dt.datetime,
    live: LiveState | None = None,
) -> list[Need]:
    """Each request in the vocabulary's codes (requests need `experience__allied_to` and
    `site` selected), with their barred pairs from `live` when the caller read them."""
    declined, conflicts = (live.declined, live.conflicts) if live else barred_pairs(requests)
    needs = []
    for request in requests:
        zone = request.program.calendar.zone
        family = (
            vocabulary.families.get(request.experience.family_slug, NONE)
            if request.experience
            else NONE
        )
        needs.append(
            Need(
                languages=LANGUAGE_BITS.get(request.language, 0),
                methods=bits_of(request.contact_methods, METHOD_BITS),
                family=family,
                relationship=RELATIONSHIP_BITS.get(request.relationship, 0),
                role=vocabulary.role(request.work_role),
                site=request.site_id or NONE,
                region=vocabulary.region(request.site.region if request.site else ""),
                utc_offset_minutes=offset_minutes(zone, now),
                birth_year=request.birth_year or 0,
                gender=GENDER_CODES.get(request.gender, NONE),
                gender_wanted=GENDER_CODES.get(request.wanted_gender, NONE),
                gender_is_firm=request.wanted_gender_is_firm,
                availability=week_mask(windows_for_day_parts(request.availability), zone, now),
                exclude_same_site=exclude_same_site,
                declined=frozenset(declined[request.pk]),
                conflicts=frozenset(conflicts[request.pk]),
                urgency=urgency(request, now),
            )
        )
    return needs


def waiting_requests(program: Program) -> QuerySet[SupportRequest]:
    """Requests waiting for a supporter and not already held by a proposal, longest first."""
    return (
        SupportRequest.objects.filter(program=program, status=RequestStatus.NEW)
        .exclude(Q(proposals__status__in=HOLDING_STATUSES))
        .select_related("program", "experience__allied_to", "site", "peer")
        .order_by("received_at", "pk")
    )
