"""A warm, in-memory snapshot of each program's supporters as arrays, and requests in its codes.

Building a `SupporterPool` reads every supporter of a program with their experiences,
readiness and availability: too slow to do on every page. A process keeps one snapshot per
program and rebuilds it when it is stale: a supporter (or anything the readiness gate reads)
changed, the day turned (trainings expire), or it is older than `MAX_AGE` (a backstop for
changes that bypass `save()`). Changes bump a per-program version in the shared cache, so every
process notices. The load (open matches and the proposals holding a place) changes with every
proposal, so it is read fresh each time, in one query.

The snapshot only suggests: proposing and starting a match check the one supporter again,
straight from the database (`queries.reasons_cannot_match`).

Two parts: `encoding` turns model rows into the arrays and codes the scoring maths reads;
`cache` keeps one snapshot per program and process, and knows when it is stale.
"""

from alongside.matching.snapshot.cache import (
    MAX_AGE,
    Snapshot,
    forget_all,
    snapshot_for,
    supporters_changed,
    version,
    watch_for_changes,
)
from alongside.matching.snapshot.encoding import (
    GONE,
    Vocabulary,
    barred_pairs,
    build_pool,
    current_load,
    needs_for,
    program_supporters,
    urgency,
    waiting_requests,
)

__all__ = [
    "GONE",
    "MAX_AGE",
    "Snapshot",
    "Vocabulary",
    "barred_pairs",
    "build_pool",
    "current_load",
    "forget_all",
    "needs_for",
    "program_supporters",
    "snapshot_for",
    "supporters_changed",
    "urgency",
    "version",
    "waiting_requests",
    "watch_for_changes",
]
