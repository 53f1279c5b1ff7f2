"""The maths of a request's shortlist page, in one pass over the pool. Pure: numpy only.

At 100,000 supporters the page shows a dozen of each kind: the best placed (`scoring.rank` with
a limit: a partition of the totals, then a sort of the few) and the nearest to fitting of those
left out (a partition of a key, then a sort of the few). Nothing sorts or copies every array.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from alongside.matching.scoring import (
    BoolArray,
    IntArray,
    Need,
    Ranked,
    Reason,
    SupporterPool,
    Weights,
    allowed_by,
    hard_masks,
    rank,
)


def nearest_left_out(
    masks: Mapping[Reason, BoolArray], ids: IntArray, hidden: BoolArray, limit: int
) -> tuple[IntArray, int]:
    """The first `limit` rows that break a hard constraint, fewest broken first, then the lower
    id, and how many break one; `hidden` rows are left out of both.

    No sort of everyone: count the rows at each number of constraints broken, take every row
    below the number where the first `limit` end, and the lowest ids at that number.
    """
    broken = np.zeros(len(ids), dtype=np.int8)
    for mask in masks.values():
        broken += mask
    broken[hidden] = 0
    at_level = np.bincount(broken, minlength=2)
    at_level[0] = 0
    count = int(at_level.sum())
    if limit <= 0 or count == 0:
        return np.zeros(0, dtype=np.int64), count
    last = int(np.searchsorted(np.cumsum(at_level), min(limit, count)))
    below = np.flatnonzero((broken > 0) & (broken < last))
    level = np.flatnonzero(broken == last)
    wanted = min(limit, count) - len(below)
    if wanted < len(level):
        level = level[np.argpartition(ids[level], wanted - 1)[:wanted]]
    rows = np.concatenate((below, level))
    nearest: IntArray = rows[np.lexsort((ids[rows], broken[rows]))]
    return nearest, count


@dataclass(frozen=True)
class Page:
    """What a request's shortlist page shows, from one pass over the pool."""

    masks: dict[Reason, BoolArray]  # for every supporter, which hard constraints they break
    allowed: BoolArray
    ranked: Ranked  # the first `limit` who pass
    left_out: IntArray  # the first `left_out` who do not, nearest to fitting first
    left_out_count: int


def shortlist_page(
    pool: SupporterPool,
    need: Need,
    weights: Weights,
    *,
    limit: int,
    left_out: int,
    hidden: BoolArray | None = None,
) -> Page:
    """The page path: the first `limit` supporters and the first `left_out` left out."""
    masks = hard_masks(pool, need)
    allowed = allowed_by(masks)
    nearest, count = nearest_left_out(
        masks, pool.ids, np.zeros(len(pool), dtype=bool) if hidden is None else hidden, left_out
    )
    return Page(
        masks=masks,
        allowed=allowed,
        ranked=rank(pool, need, weights, limit=limit, allowed=allowed),
        left_out=nearest,
        left_out_count=count,
    )
