"""Each program's supporters as arrays, built once, shared by every process, kept current.

Scoring a request reads every supporter of its program as arrays (`scoring.SupporterPool`):
too much to read from the database on every page. So each program has one *snapshot*:

- **Built from plain values** (`rows.py`): about ten queries filtered by program through joins
  (no list of every id, so no query passes SQLite's 32,766 variables), no model object per
  row; the readiness gate set by set (`supporters.ready.ready_ids`). About half a second at
  10,000 supporters, where building model objects took 5 to 11 s (bench/bench_snapshot.py).
- **Stored where every process reads it** (`store.py`): the arrays as numpy's `.npz` bytes in
  the "shared" cache: Redis when CACHE_URL is set, a table in the database otherwise, so every
  app server and worker of an installation (on one machine or many) reads the same one without
  new infrastructure. A file under var/ would be quicker to read but is not shared between
  machines, and its writes need a lock of their own. Each process keeps the copy it last read,
  with the version it matches; a page reads one small value (the head) and, when nothing
  changed, nothing else.
- **Updated for the one supporter that changed** (`cache.supporter_changed`): after the change
  commits, that supporter's row is read afresh and appended to the stored snapshot's log of
  changes, holding the snapshot's lock (an atomic `add` in the cache) so that the log's order is
  the order of the reads and two processes never lose one another's change. Each process applies
  the changes it has not seen to its copy (`table.patched`: a row replaced or added, a new code
  for a new family, role or region, the experience matrices a column wider).
- **Rebuilt in the worker, never in a page** (`tasks.rebuild_snapshot`): when the program's day
  turns (trainings expire), when it is older than `MAX_AGE` (what no signal reports: bulk
  updates, contacts logged), when the log is long, or when what every supporter is measured
  against changes (the program, a site, a step, a training module). One rebuild waits at a time
  per program; pages keep the stored snapshot meanwhile. While none exists at all, the request
  page says suggestions are being prepared and checks again.

The snapshot only suggests: proposing and starting a match check the one supporter again,
straight from the database (`queries.check_pair`, through `encoding.build_pool`, the model-object
path kept for one supporter). The load (open matches and the proposals holding a place) changes
with every proposal, so it is read fresh each time, in one query with the request's barred pairs
(`encoding.live_state`, `Snapshot.with_current_load`).
"""

from alongside.matching.snapshot.cache import (
    MAX_AGE,
    forget_all,
    schedule_rebuild,
    snapshot_for,
    stored_snapshot,
    supporter_changed,
    supporters_changed,
    watch_for_changes,
)
from alongside.matching.snapshot.encoding import (
    GONE,
    LiveState,
    Vocabulary,
    barred_pairs,
    build_pool,
    current_load,
    live_state,
    needs_for,
    program_supporters,
    urgency,
    waiting_requests,
)
from alongside.matching.snapshot.store import Snapshot

__all__ = [
    "GONE",
    "MAX_AGE",
    "LiveState",
    "Snapshot",
    "Vocabulary",
    "barred_pairs",
    "build_pool",
    "current_load",
    "forget_all",
    "live_state",
    "needs_for",
    "program_supporters",
    "schedule_rebuild",
    "snapshot_for",
    "stored_snapshot",
    "supporter_changed",
    "supporters_changed",
    "urgency",
    "waiting_requests",
    "watch_for_changes",
]
