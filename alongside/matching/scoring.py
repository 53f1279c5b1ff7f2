"""Scoring every supporter of a program for a request at once. Pure: numpy only, no ORM.

A `SupporterPool` holds one program's supporters as parallel arrays (a snapshot kept warm in
memory and rebuilt when supporters change); a `Need` describes one request in the same codes.
`hard_masks` applies the hard constraints as boolean masks and `parts` the soft criteria as a
matrix of parts in [0, 1], weighted by the program's `Weights`. Every total is the exact sum of
its parts in points, so a coordinator can read why one supporter ranks above another; every
supporter left out has the reasons in plain words (`why_not`).

`hard_masks` reads the pool's arrays in place (no copy of every array); `rank` scores only the
supporters who pass and, with a limit, picks the first few with a partition rather than a sort
of everyone (the page path, `page.shortlist_page`). `parts` also scores many requests at once
(a `NeedTable`, one need per pair): the batch, `pairs.candidates_for`, uses it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

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


@dataclass(frozen=True)
class NeedTable:
    """Needs as columns (every field of `Need` but the id sets): one row per need, or one per
    pair when taken by the pairs' request index."""

    languages: IntArray
    methods: IntArray
    family: IntArray
    relationship: IntArray
    role: IntArray
    site: IntArray
    region: IntArray
    utc_offset_minutes: IntArray
    birth_year: IntArray
    gender: IntArray
    gender_wanted: IntArray
    gender_is_firm: BoolArray
    availability: IntArray
    exclude_same_site: BoolArray
    urgency: FloatArray

    @classmethod
    def of(cls, needs: Sequence[Need]) -> "NeedTable":
        kinds = {"gender_is_firm": bool, "exclude_same_site": bool, "urgency": np.float64}
        return cls(
            **{
                column.name: np.array(
                    [getattr(need, column.name) for need in needs],
                    dtype=kinds.get(column.name, np.int64),
                )
                for column in fields(cls)
            }
        )

    def take(self, index: IntArray) -> "NeedTable":
        return NeedTable(
            **{column.name: getattr(self, column.name)[index] for column in fields(self)}
        )


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
    """For each hard constraint, which supporters (of `rows`, or all, read in place) break it."""

    def column[T: np.generic](values: npt.NDArray[T]) -> npt.NDArray[T]:
        return values if rows is None else values[rows]

    masks = {
        Reason.NOT_READY: ~column(pool.ready),
        Reason.LANGUAGE: (column(pool.languages) & need.languages) == 0,
        Reason.METHOD: (column(pool.methods) & need.methods) == 0,
        Reason.FULL: column(pool.open_matches) >= column(pool.capacity),
    }
    if need.availability:
        offered = column(pool.availability)
        masks[Reason.AVAILABILITY] = (offered != 0) & ((offered & need.availability) == 0)
    if need.exclude_same_site and need.site != NONE:
        masks[Reason.SAME_SITE] = column(pool.site) == need.site
    if need.declined:
        masks[Reason.DECLINED] = np.isin(column(pool.ids), list(need.declined))
    if need.conflicts:
        masks[Reason.CONFLICT] = np.isin(column(pool.ids), list(need.conflicts))
    if need.gender_is_firm and need.gender_wanted != NONE:
        masks[Reason.GENDER] = column(pool.gender) != need.gender_wanted
    # A supporter's own firm preferences: a person who did not say is not assumed to fit.
    person_gender = 0 if need.gender == NONE else 1 << need.gender
    masks[Reason.SUPPORTER_GENDER] = supporter_refuses(column(pool.accepts_genders), person_gender)
    masks[Reason.SUPPORTER_RELATIONSHIP] = supporter_refuses(
        column(pool.accepts_relationships), need.relationship
    )
    return masks


def supporter_refuses(accepted: IntArray, asked: IntArray | int) -> BoolArray:
    """A supporter who named whom they support (a bit set; 0 means anyone) refuses the rest."""
    refused: BoolArray = (accepted != 0) & ((accepted & asked) == 0)
    return refused


def feasible(pool: SupporterPool, need: Need, rows: IntArray | None = None) -> BoolArray:
    return allowed_by(hard_masks(pool, need, rows))


def allowed_by(masks: Mapping[Reason, BoolArray]) -> BoolArray:
    """The supporters who break none of `masks`."""
    broken = np.zeros_like(next(iter(masks.values())))
    for reason_mask in masks.values():
        broken |= reason_mask
    allowed: BoolArray = ~broken
    return allowed


def parts(
    pool: SupporterPool,
    need: Need | NeedTable,
    rows: IntArray,
    *,
    load: FloatArray | None = None,
) -> FloatArray:
    """The soft criteria for `rows`, each in [0, 1], one column per criterion (CRITERIA order).

    `need` is one need, or a `NeedTable` holding one need per row (a batch of pairs); `load` is
    `load_parts(pool)` when the caller has it already (it depends on the supporter alone).
    """
    need = NeedTable.of([need]) if isinstance(need, Need) else need
    # Column by column: each criterion's values lie together in memory (Fortran order).
    return parts_by_criterion(pool, need, rows, load=load).T


def parts_by_criterion(
    pool: SupporterPool, need: NeedTable, rows: IntArray, *, load: FloatArray | None = None
) -> FloatArray:
    """The same parts, criterion first: [criterion, *shape], where `need`'s columns and `rows`
    broadcast to `shape`. One need per row gives [criterion, row]; needs shaped (requests, 1)
    against the rows give a block of every pair, [criterion, request, row], each supporter's
    values read once for the block rather than once per pair."""
    shape = np.broadcast_shapes(need.family.shape, rows.shape)
    columns = np.empty((len(CRITERIA), *shape), dtype=np.float64)  # each one is set below
    family_known = need.family != NONE
    family = np.where(family_known, need.family, 0)
    relation = pool.relationships[rows, family]
    columns[0] = family_known & (relation != 0)
    # The relationship bits fit the pool's small type: no wider copy per pair.
    asked = need.relationship.astype(relation.dtype)
    columns[1] = family_known & ((relation & asked) != 0)
    years = np.minimum(pool.years_lived[rows, family], 10.0) / 10.0
    columns[3] = np.where(family_known, years, 0.0)
    columns[2] = (need.role != NONE) & (pool.role[rows] == need.role)
    born = pool.birth_year[rows]
    closeness = np.clip(1.0 - np.abs(born - need.birth_year) / 30.0, 0.0, 1.0)
    columns[4] = np.where((need.birth_year != 0) & (born > 0), closeness, 0.0)
    columns[5] = (need.gender_wanted != NONE) & (pool.gender[rows] == need.gender_wanted)
    same_region = (pool.region[rows] == need.region) & (need.region != NONE)
    hours_apart = np.abs(pool.utc_offset_minutes[rows] - need.utc_offset_minutes) / 60.0
    columns[6] = np.where(same_region, 1.0, np.clip(1.0 - hours_apart / 6.0, 0.0, 1.0) * 0.5)
    offered = pool.availability[rows]
    shared = _popcount(offered & need.availability) / np.maximum(_popcount(need.availability), 1)
    columns[7] = np.where(need.availability == 0, 0.0, np.where(offered == 0, 0.5, shared))
    columns[8] = load_parts(pool, rows) if load is None else load[rows]
    columns[9] = np.clip(need.urgency, 0.0, 1.0)
    return columns


def load_parts(pool: SupporterPool, rows: IntArray | None = None) -> FloatArray:
    """The load criterion of `rows` (or all): the share of places still free."""
    index = slice(None) if rows is None else rows
    capacity = np.maximum(pool.capacity[index], 1)
    free_share = np.clip(1.0 - pool.open_matches[index] / capacity, 0.0, 1.0)
    # Past their pledged hours, the share fades: at twice the pledge it is gone.
    beyond_pledge = np.clip(pool.pledge_used[index] - 1.0, 0.0, 1.0)
    shares: FloatArray = free_share * (1.0 - beyond_pledge)
    return shares


def points(part_matrix: FloatArray, weights: Weights) -> FloatArray:
    """Each criterion's points, rounded to 0.1 so that shown parts add up to the shown total."""
    return np.round(part_matrix * weights.vector(), 1)


@dataclass(frozen=True)
class Ranked:
    """Feasible supporters (pool rows) best first, with their points per criterion; with a
    limit, only the first `limit` of the `count` who pass."""

    rows: IntArray
    points: FloatArray  # [rank, criterion]
    count: int

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

    `allowed` is `feasible(pool, need)` when the caller has it already. With `limit`, the
    first `limit` are chosen by a partition of the totals, then only those are sorted.
    """
    rows = np.flatnonzero(feasible(pool, need) if allowed is None else allowed)
    scored = points(parts(pool, need, rows), weights)
    totals = np.round(scored.sum(axis=1), 1)
    order = _best_first(totals, pool.open_matches[rows], pool.ids[rows], limit)
    return Ranked(rows=rows[order], points=scored[order], count=len(rows))


def _best_first(totals: FloatArray, load: IntArray, ids: IntArray, limit: int | None) -> IntArray:
    """The positions of the first `limit` by (highest total, lightest load, lowest id)."""
    if limit is not None and limit < len(totals):
        if limit <= 0:
            return np.zeros(0, dtype=np.int64)
        # Everyone at least as good as the limit-th total, ties included, then sort those.
        cut = np.partition(-totals, limit - 1)[limit - 1]
        near = np.flatnonzero(-totals <= cut)
        chosen: IntArray = near[np.lexsort((ids[near], load[near], -totals[near]))[:limit]]
        return chosen
    everyone: IntArray = np.lexsort((ids, load, -totals))
    return everyone


def why_not(pool: SupporterPool, need: Need, row: int) -> list[str]:
    """Every hard constraint one supporter breaks for this need, in plain words."""
    masks = hard_masks(pool, need, np.array([row]))
    return [reason_text(reason) for reason, mask in masks.items() if bool(mask[0])]
