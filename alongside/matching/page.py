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
    id (a partition, not a sort of everyone), and how many break one; `hidden` rows are left
    out of both."""
    broken = np.zeros(len(ids), dtype=np.int64)
    for mask in masks.values():
        broken += mask
    left = np.flatnonzero((broken > 0) & ~hidden)
    key = broken[left] * (int(ids.max(initial=0)) + 1) + ids[left]
    if 0 < limit < len(left):
        nearest = np.argpartition(key, limit - 1)[:limit]
    else:
        nearest = np.arange(len(left) if limit > 0 else 0)
    rows: IntArray = left[nearest[np.argsort(key[nearest])]]
    return rows, len(left)


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
