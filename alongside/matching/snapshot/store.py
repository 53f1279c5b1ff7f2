"""Each program's snapshot where every process reads it: a base, a log of changes, a lock.

Kept in the "shared" cache (Redis when CACHE_URL is set, else a table in the database), under
`matching.snapshot:<program>:…`:

- `head`: (generation, patches, built_on, built_at): which base is current and how many
  changes follow it. A page reads this one small value and nothing else when nothing changed.
- `base:<generation>`: the table as `.npz` bytes (`table.dumps`), written once by a rebuild.
- `patch:<generation>:<n>`: the rows of the supporters one change touched, as plain tuples.
- `lock`: held (an atomic `add` with a timeout) while a change or a rebuild writes the log.

A change reads its supporters' rows from the database while it holds the lock, then appends
them: so the log's order is the order of those reads, and the last row of a supporter in it is
never older than the last change committed for them. A rebuild reads every row without the
lock, then, holding it, adds the changes logged since it started (rows that are newer than, or
as new as, its own) and publishes a new generation. Nothing is lost when two processes change
supporters at once; a lost key (evicted) only makes the log look short, and the staleness rules
then ask for a rebuild.

Each process keeps the snapshot it last read per program, with the head it matches, and brings
it up to the stored head by applying the changes it has not seen (`current`).
"""

import datetime as dt
import gc
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import astuple, dataclass

import numpy as np
import numpy.typing as npt
from django.core.cache import BaseCache, caches
from django.db import DatabaseError, transaction
from django.db.transaction import TransactionManagementError
from django.utils import timezone

from alongside.matching.scoring import SupporterPool
from alongside.matching.snapshot.encoding import Vocabulary
from alongside.matching.snapshot.rows import Row, read_rows
from alongside.matching.snapshot.table import Table, dumps, encode, loads, patched
from alongside.programs.models import Program

LOCK_SECONDS = 30  # a holder that died lets go after this long
LOCK_WAIT_SECONDS = 5.0


class LockBusyError(Exception):
    """The snapshot's lock stayed taken: the caller asks for a rebuild instead."""


@dataclass(frozen=True)
class Head:
    generation: int
    patches: int  # changes logged after the base
    built_on: dt.date | None  # the program's day of the base; None while the first is built
    built_at: float  # when the base was built (time.time())


@dataclass(frozen=True)
class Snapshot:
    program_id: int
    head: Head  # the stored head this copy matches
    pool: SupporterPool  # its open_matches are zero; see `with_current_load`
    vocabulary: Vocabulary
    row_of: dict[int, int]  # supporter id -> row
    gone: npt.NDArray[np.bool_]  # alumni, withdrawn, deleted: never worth a "why not" line
    behind: bool = False  # a logged change could not be read: only a rebuild catches up

    @property
    def built_on(self) -> dt.date | None:
        return self.head.built_on

    def with_current_load(self, load: dict[int, int]) -> SupporterPool:
        open_matches = np.zeros(len(self.pool), dtype=np.int64)
        for supporter_id, count in load.items():
            row = self.row_of.get(supporter_id)
            if row is not None:
                open_matches[row] = count
        return SupporterPool(
            **{name: getattr(self.pool, name) for name in SupporterPool.__dataclass_fields__}
            | {"open_matches": open_matches}
        )


def _shared() -> BaseCache:
    return caches["shared"]


def _key(program_id: int, *parts: object) -> str:
    return ":".join(["matching.snapshot", str(program_id), *map(str, parts)])


def _patch_keys(program_id: int, generation: int, first: int, last: int) -> list[str]:
    return [_key(program_id, "patch", generation, n) for n in range(first, last + 1)]


def read_head(program_id: int) -> Head | None:
    stored = _shared().get(_key(program_id, "head"))
    if not isinstance(stored, tuple):
        return None
    generation, patches, built_on, built_at = stored
    return Head(
        generation, patches, dt.date.fromisoformat(built_on) if built_on else None, built_at
    )


def _write_head(program_id: int, head: Head) -> None:
    built_on = head.built_on.isoformat() if head.built_on else ""
    stored = (head.generation, head.patches, built_on, head.built_at)
    _shared().set(_key(program_id, "head"), stored, timeout=None)


@contextmanager
def locked(program_id: int) -> Iterator[None]:
    """Holds the program's snapshot lock, in one transaction with what is done under it;
    raises LockBusyError when it stays taken.

    One transaction, one commit (a commit is most of a change's cost on PostgreSQL). On the
    database cache the lock's row itself makes a second taker wait until the first commits (its
    insert waits on the uncommitted one, which is gone by then); SQLite's transactions begin
    IMMEDIATE (config/settings.py), so they take turns anyway; on Redis, `add` is atomic.
    """
    shared, key, token = _shared(), _key(program_id, "lock"), uuid.uuid4().hex
    with transaction.atomic():
        deadline = time.monotonic() + LOCK_WAIT_SECONDS
        while not shared.add(key, token, timeout=LOCK_SECONDS):
            if time.monotonic() > deadline:
                raise LockBusyError(f"snapshot of program {program_id}")
            time.sleep(0.005)
        try:
            yield
        finally:
            # After an error the transaction may refuse queries: its rollback frees the lock.
            with suppress(DatabaseError, TransactionManagementError):
                if shared.get(key) == token:
                    shared.delete(key)


def _logged(program_id: int, generation: int, first: int, last: int) -> tuple[list[Row], int]:
    """The rows of changes first..last, up to the first one missing, and the last one read."""
    keys = _patch_keys(program_id, generation, first, last)
    found = _shared().get_many(keys) if keys else {}
    rows: list[Row] = []
    read = first - 1
    for key in keys:
        if key not in found:
            break
        rows += [Row(*values) for values in found[key]]
        read += 1
    return rows, read


def log_change(program: Program, supporter_ids: Sequence[int], now: dt.datetime) -> bool:
    """Appends these supporters' rows, read afresh, to the program's stored snapshot; False
    when it has none (the first build will read them)."""
    with locked(program.pk):
        head = read_head(program.pk)
        if head is None:
            return False
        rows = {row.id: row for row in read_rows(program, now, only=supporter_ids)}
        entry = [astuple(rows.get(pk) or Row.removed(pk)) for pk in supporter_ids]
        number = head.patches + 1
        _shared().set(_key(program.pk, "patch", head.generation, number), entry, timeout=None)
        _write_head(program.pk, Head(head.generation, number, head.built_on, head.built_at))
    return True


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic collector waits meanwhile. A whole program's build makes tens of
    thousands of small objects (tuples, rows) that all live until it ends and hold no cycles;
    collecting during it only walks them again and again (a fifth of its time at 10,000
    supporters). The collector runs again afterwards, even when the build fails."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def build(program: Program, now: dt.datetime) -> Table:
    """The program's table read whole from the database (no lock, nothing stored)."""
    with _collector_paused():
        return encode(read_rows(program, now))


def rebuild(program: Program, now: dt.datetime) -> Snapshot | None:
    """Builds the program's snapshot from the database and publishes it as a new generation,
    with the changes logged meanwhile; None when another rebuild published first."""
    with locked(program.pk):
        start = read_head(program.pk)
        if start is None:  # changes during the first build are logged as generation 0's
            start = Head(0, 0, None, 0.0)
            _write_head(program.pk, start)
    table = build(program, now)
    today = program.calendar.today(now)
    with locked(program.pk):
        head = read_head(program.pk) or start
        if head.generation != start.generation:
            return None
        later, _read = _logged(program.pk, head.generation, start.patches + 1, head.patches)
        table = patched(table, later)
        built = Head(head.generation + 1, 0, today, time.time())
        _shared().set(_key(program.pk, "base", built.generation), dumps(table), timeout=None)
        _write_head(program.pk, built)
        _shared().delete_many(
            [
                _key(program.pk, "base", head.generation),
                *_patch_keys(program.pk, head.generation, 1, head.patches),
            ]
        )
    return _keep(program.pk, built, table)


def _claim_key(program_id: int) -> str:
    return _key(program_id, "rebuild")


def claim_rebuild(program_id: int, *, seconds: int) -> bool:
    """Whether this caller may queue the program's rebuild: one waits at a time."""
    return bool(_shared().add(_claim_key(program_id), 1, timeout=seconds))


def rebuild_program(program_id: int) -> Snapshot | None:
    """The worker's rebuild: lets the next one be queued, then rebuilds (None when the
    program is gone, or another rebuild published first)."""
    _shared().delete(_claim_key(program_id))
    program = Program.objects.filter(pk=program_id).first()
    return None if program is None else rebuild(program, timezone.now())


_lock = threading.Lock()
_copies: dict[int, Snapshot] = {}


def _keep(program_id: int, head: Head, table: Table, *, behind: bool = False) -> Snapshot:
    snapshot = Snapshot(
        program_id, head, table.pool, table.vocabulary, table.row_of, table.gone, behind
    )
    with _lock:
        _copies[program_id] = snapshot
    return snapshot


def current(program_id: int) -> Snapshot | None:
    """This process's copy of the stored snapshot, brought up to the stored head; None when
    none is stored yet. One small read when nothing changed."""
    head = read_head(program_id)
    with _lock:
        mine = _copies.get(program_id)
    if head is None or head.built_on is None:
        return None
    if mine is not None and mine.head == head:
        return mine
    table: Table
    if mine is None or mine.head.generation != head.generation:
        data = _shared().get(_key(program_id, "base", head.generation))
        if not isinstance(data, bytes):  # replaced by a newer one since the head was read
            return mine
        table, seen = loads(data), 0
    else:
        table = Table(mine.pool, mine.vocabulary, mine.gone, mine.row_of)
        seen = mine.head.patches
    rows, read = _logged(program_id, head.generation, seen + 1, head.patches)
    if rows:
        table = patched(table, rows)
    # A change missing from the log (evicted) leaves the copy behind: a rebuild is asked for.
    seen_head = Head(head.generation, read, head.built_on, head.built_at)
    return _keep(program_id, seen_head, table, behind=read < head.patches)


def forget_copies() -> None:
    with _lock:
        _copies.clear()
