"""Scoring every supporter of a program for a request at once. Pure: numpy only, no ORM.

A `SupporterPool` holds one program's supporters as parallel arrays (a snapshot kept warm in
memory and rebuilt when supporters change); a `Need` describes one request in the same codes.
`evaluate` applies the hard constraints as boolean masks and the soft criteria as a matrix of
parts in [0, 1], weighted by the program's `Weights`. Every total is the exact sum of its
parts in points, so a coordinator can read why one supporter ranks above another; every
supporter left out has the reasons in plain words (`why_not`).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from alongside.matching.assignment import Candidates

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

NONE = -1  # an unknown or absent code (no role, no site, no experience)

# Relationship bits: how a supporter relates to an experience.
RELATIONSHIP_BITS = {"self": 1, "family": 2, "colleague": 4}


class Criterion(StrEnum):
    SHARED_EXPERIENCE = "shared_experience"
    SAME_RELATIONSHIP = "same_relationship"
    SIMILAR_ROLE = "similar_role"
    YEARS_LIVED = "years_lived"
    AGE_BAND = "age_band"
    GENDER = "gender"
    REGION = "region"
    AVAILABILITY = "availability"
    LOAD = "load"
    WAITING = "waiting"


CRITERIA: tuple[Criterion, ...] = tuple(Criterion)


def criterion_label(criterion: Criterion) -> str:
    labels = {
        Criterion.SHARED_EXPERIENCE: _("shares the lived experience"),
        Criterion.SAME_RELATIONSHIP: _("relates to it the same way"),
        Criterion.SIMILAR_ROLE: _("works in a similar role"),
        Criterion.YEARS_LIVED: _("years of lived experience"),
        Criterion.AGE_BAND: _("close in age"),
        Criterion.GENDER: _("the gender the person asked for"),
        Criterion.REGION: _("same region or time zone"),
        Criterion.AVAILABILITY: _("free at the times the person asked for"),
        Criterion.LOAD: _("has room (spreads the work)"),
        Criterion.WAITING: _("the person has waited long"),
    }
    return labels[criterion]


DEFAULT_WEIGHTS: Mapping[Criterion, float] = {
    Criterion.SHARED_EXPERIENCE: 30,
    Criterion.SAME_RELATIONSHIP: 20,
    Criterion.SIMILAR_ROLE: 15,
    Criterion.YEARS_LIVED: 5,
    Criterion.AGE_BAND: 5,
    Criterion.GENDER: 5,
    Criterion.REGION: 5,
    Criterion.AVAILABILITY: 5,
    Criterion.LOAD: 5,
    Criterion.WAITING: 5,
}


@dataclass(frozen=True)
class Weights:
    """Points each criterion is worth at best (program configuration)."""

    points: Mapping[Criterion, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))

    def vector(self) -> FloatArray:
        return np.array([float(self.points.get(name, 0.0)) for name in CRITERIA])


@dataclass(frozen=True)
class SupporterPool:
    """One program's supporters as arrays; index i is the same person in every array."""

    ids: IntArray
    ready: BoolArray  # the readiness gate passed, not away, not paused
    languages: IntArray  # bit set of language codes
    methods: IntArray  # bit set of contact methods
    relationships: npt.NDArray[np.int8]  # [supporter, family]: bit set of relationships
    years_lived: npt.NDArray[np.float32]  # [supporter, family]: years, 0 when none
    role: IntArray
    site: IntArray
    region: IntArray
    utc_offset_minutes: IntArray
    birth_year: IntArray  # 0 when unknown
    gender: IntArray
    availability: IntArray  # bit set of weekly periods; 0 means "any time"
    capacity: IntArray
    open_matches: IntArray  # open matches and the proposals holding a place
    accepts_genders: IntArray  # bit set of the genders they support; 0 means anyone
    accepts_relationships: IntArray  # bit set of relationships they support; 0 means anyone
    pledge_used: FloatArray  # hours given this past month / hours pledged; 0 when no pledge

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def free_places(self) -> IntArray:
        free: IntArray = np.maximum(self.capacity - self.open_matches, 0)
        return free


@dataclass(frozen=True)
class Need:
    """One request in the pool's codes."""

    languages: int
    methods: int
    family: int = NONE
    relationship: int = 0
    role: int = NONE
    site: int = NONE
    region: int = NONE
    utc_offset_minutes: int = 0
    birth_year: int = 0
    gender: int = NONE  # the person's own gender, when they said
    gender_wanted: int = NONE
    gender_is_firm: bool = False
    availability: int = 0
    exclude_same_site: bool = False
    declined: frozenset[int] = frozenset()  # supporter ids who declined this request before
    conflicts: frozenset[int] = frozenset()  # supporter ids with a conflict on record
    urgency: float = 0.0  # 0 = just arrived, 1 = at or past the promised time


class Reason(StrEnum):
    NOT_READY = "not_ready"
    LANGUAGE = "language"
    METHOD = "method"
    FULL = "full"
    AVAILABILITY = "availability"
    SAME_SITE = "same_site"
    DECLINED = "declined"
    CONFLICT = "conflict"
    GENDER = "gender"
    SUPPORTER_GENDER = "supporter_gender"
    SUPPORTER_RELATIONSHIP = "supporter_relationship"


def reason_text(reason: Reason) -> str:
    texts = {
        Reason.NOT_READY: _("is not ready to be matched"),
        Reason.LANGUAGE: _("no shared language"),
        Reason.METHOD: _("offers none of the ways the person wants to be contacted"),
        Reason.FULL: _("has no room for another match"),
        Reason.AVAILABILITY: _("is never free when the person is"),
        Reason.SAME_SITE: _("works at the same site, and this program matches across sites"),
        Reason.DECLINED: _("declined this person before"),
        Reason.CONFLICT: _("has a recorded conflict with this person"),
        Reason.GENDER: _("is not the gender the person asked for"),
        Reason.SUPPORTER_GENDER: _("only supports people of another gender"),
        Reason.SUPPORTER_RELATIONSHIP: _(
            "only supports people who relate to the experience another way"
        ),
    }
    return texts[reason]


def _popcount(values: IntArray) -> IntArray:
    counts: IntArray = np.bitwise_count(values.astype(np.uint64)).astype(np.int64)
    return counts


def hard_masks(
    pool: SupporterPool, need: Need, rows: IntArray | None = None
) -> dict[Reason, BoolArray]:
    """For each hard constraint, which supporters (of `rows`, or all) break it."""
    index = np.arange(len(pool)) if rows is None else rows
    masks = {
        Reason.NOT_READY: ~pool.ready[index],
        Reason.LANGUAGE: (pool.languages[index] & need.languages) == 0,
        Reason.METHOD: (pool.methods[index] & need.methods) == 0,
        Reason.FULL: pool.open_matches[index] >= pool.capacity[index],
    }
    if need.availability:
        offered = pool.availability[index]
        masks[Reason.AVAILABILITY] = (offered != 0) & ((offered & need.availability) == 0)
    if need.exclude_same_site and need.site != NONE:
        masks[Reason.SAME_SITE] = pool.site[index] == need.site
    if need.declined:
        masks[Reason.DECLINED] = np.isin(pool.ids[index], list(need.declined))
    if need.conflicts:
        masks[Reason.CONFLICT] = np.isin(pool.ids[index], list(need.conflicts))
    if need.gender_is_firm and need.gender_wanted != NONE:
        masks[Reason.GENDER] = pool.gender[index] != need.gender_wanted
    # A supporter's own firm preferences: a person who did not say is not assumed to fit.
    genders = pool.accepts_genders[index]
    person_gender = 0 if need.gender == NONE else 1 << need.gender
    masks[Reason.SUPPORTER_GENDER] = (genders != 0) & ((genders & person_gender) == 0)
    relationships = pool.accepts_relationships[index]
    masks[Reason.SUPPORTER_RELATIONSHIP] = (relationships != 0) & (
        (relationships & need.relationship) == 0
    )
    return masks


def feasible(pool: SupporterPool, need: Need, rows: IntArray | None = None) -> BoolArray:
    broken = hard_masks(pool, need, rows)
    mask = np.ones(len(pool) if rows is None else len(rows), dtype=bool)
    for reason_mask in broken.values():
        mask &= ~reason_mask
    return mask


def parts(pool: SupporterPool, need: Need, rows: IntArray) -> FloatArray:
    """The soft criteria for `rows`, each in [0, 1], one column per criterion (CRITERIA order)."""
    count = len(rows)
    columns = np.zeros((count, len(CRITERIA)), dtype=np.float64)
    if need.family != NONE:
        relation = pool.relationships[rows, need.family]
        columns[:, 0] = relation != 0
        columns[:, 1] = (relation & need.relationship) != 0
        columns[:, 3] = np.minimum(pool.years_lived[rows, need.family], 10.0) / 10.0
    if need.role != NONE:
        columns[:, 2] = pool.role[rows] == need.role
    if need.birth_year:
        known = pool.birth_year[rows] > 0
        gap = np.abs(pool.birth_year[rows] - need.birth_year)
        columns[:, 4] = np.where(known, np.clip(1.0 - gap / 30.0, 0.0, 1.0), 0.0)
    if need.gender_wanted != NONE:
        columns[:, 5] = pool.gender[rows] == need.gender_wanted
    same_region = (pool.region[rows] == need.region) & (need.region != NONE)
    hours_apart = np.abs(pool.utc_offset_minutes[rows] - need.utc_offset_minutes) / 60.0
    columns[:, 6] = np.where(same_region, 1.0, np.clip(1.0 - hours_apart / 6.0, 0.0, 1.0) * 0.5)
    if need.availability:
        offered = pool.availability[rows]
        shared = _popcount(offered & need.availability) / max(bin(need.availability).count("1"), 1)
        columns[:, 7] = np.where(offered == 0, 0.5, shared)
    capacity = np.maximum(pool.capacity[rows], 1)
    free_share = np.clip(1.0 - pool.open_matches[rows] / capacity, 0.0, 1.0)
    # Past their pledged hours, the share fades: at twice the pledge it is gone.
    beyond_pledge = np.clip(pool.pledge_used[rows] - 1.0, 0.0, 1.0)
    columns[:, 8] = free_share * (1.0 - beyond_pledge)
    columns[:, 9] = min(max(need.urgency, 0.0), 1.0)
    return columns


def points(part_matrix: FloatArray, weights: Weights) -> FloatArray:
    """Each criterion's points, rounded to 0.1 so that shown parts add up to the shown total."""
    return np.round(part_matrix * weights.vector(), 1)


@dataclass(frozen=True)
class Ranked:
    """Feasible supporters (pool rows) best first, with their points per criterion."""

    rows: IntArray
    points: FloatArray  # [rank, criterion]

    @property
    def totals(self) -> FloatArray:
        return np.round(self.points.sum(axis=1), 1)


def rank(
    pool: SupporterPool,
    need: Need,
    weights: Weights,
    *,
    limit: int | None = None,
    allowed: BoolArray | None = None,
) -> Ranked:
    """The feasible supporters, best first; ties go to the lighter load, then the lower id.

    `allowed` is `feasible(pool, need)` when the caller has it already.
    """
    rows = np.flatnonzero(feasible(pool, need) if allowed is None else allowed)
    scored = points(parts(pool, need, rows), weights)
    totals = np.round(scored.sum(axis=1), 1)
    order = np.lexsort((pool.ids[rows], pool.open_matches[rows], -totals))
    if limit is not None:
        order = order[:limit]
    return Ranked(rows=rows[order], points=scored[order])


def why_not(pool: SupporterPool, need: Need, row: int) -> list[str]:
    """Every hard constraint one supporter breaks for this need, in plain words."""
    masks = hard_masks(pool, need, np.array([row]))
    return [reason_text(reason) for reason, mask in masks.items() if bool(mask[0])]


def candidates_for(pool: SupporterPool, needs: Iterable[Need], weights: Weights) -> Candidates:
    """Every feasible (request, supporter) pair with its total score, for the assignment."""
    weight_vector = weights.vector()
    open_rows = np.flatnonzero(pool.ready & (pool.open_matches < pool.capacity))
    by_codes: dict[tuple[int, int], IntArray] = {}
    request_parts: list[IntArray] = []
    supporter_parts: list[IntArray] = []
    score_parts: list[FloatArray] = []
    for request_index, need in enumerate(needs):
        key = (need.languages, need.methods)
        if key not in by_codes:
            shared = (pool.languages[open_rows] & need.languages) != 0
            shared &= (pool.methods[open_rows] & need.methods) != 0
            by_codes[key] = open_rows[shared]
        rows = by_codes[key]
        rows = rows[feasible(pool, need, rows)]
        if len(rows) == 0:
            continue
        totals = np.round(parts(pool, need, rows) @ weight_vector, 3)
        request_parts.append(np.full(len(rows), request_index, dtype=np.int64))
        supporter_parts.append(rows.astype(np.int64))
        score_parts.append(totals)
    if not request_parts:
        empty = np.zeros(0, dtype=np.int64)
        return Candidates(requests=empty, supporters=empty, scores=np.zeros(0))
    return Candidates(
        requests=np.concatenate(request_parts),
        supporters=np.concatenate(supporter_parts),
        scores=np.concatenate(score_parts),
    )
