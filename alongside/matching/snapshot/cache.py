"""Which snapshot a caller gets, when it is stale, and what changes it.

A page calls `stored_snapshot`: the stored snapshot, brought up to its latest change, or None
while the first one is built in the worker. A stale one (the program's day turned, it is older
than `MAX_AGE`, its log of changes is long or missing a piece) is still used while the worker
rebuilds it. `snapshot_for` is for the worker and commands: when none is stored, it builds one.

One supporter's change (their profile, experiences, step records, checks, trainings) is applied
after its transaction commits by logging that supporter's new row (`store.log_change`), about
ten milliseconds; a change to what every supporter is measured against (the program, a site,
a pipeline step, a training module) asks the worker for a rebuild instead.

In huey's immediate mode (tests, a laptop without a worker) "the worker" is this process: a
rebuild runs at once, where it is asked for, as huey would run the task there.
"""

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alongside.matching.snapshot import store
from alongside.matching.snapshot.store import Snapshot
from alongside.matching.snapshot.tasks import rebuild_snapshot
from alongside.programs.models import PipelineStep, Program, Site, TrainingModule
from alongside.supporters.models import (
    BackgroundCheck,
    LivedExperience,
    StepRecord,
    Supporter,
    TrainingRecord,
)

logger = logging.getLogger(__name__)

# A backstop for what no signal reports (bulk updates, contacts logged, a summer-time change).
MAX_AGE = dt.timedelta(minutes=10)
# Past this many logged changes, a rebuild folds them into a new base.
MAX_PATCHES = 500
# Past this many supporters changed in one transaction, a rebuild is quicker than patches.
MAX_PATCHED_AT_ONCE = 200
# A queued rebuild that never ran (the worker was down) may be queued again after this long.
CLAIM_SECONDS = 300


def _runs_here() -> bool:
    return bool(HUEY.immediate)


def schedule_rebuild(program_id: int) -> bool:
    """Asks the worker to rebuild the program's snapshot, once however often it is asked;
    True when it was rebuilt here (immediate mode)."""
    if _runs_here():
        store.rebuild_program(program_id)
        return True
    if store.claim_rebuild(program_id, seconds=CLAIM_SECONDS):
        rebuild_snapshot.enqueue(program_id)
    return False


def is_stale(snapshot: Snapshot, today: dt.date) -> bool:
    return (
        snapshot.built_on != today
        or time.time() - snapshot.head.built_at > MAX_AGE.total_seconds()
        or snapshot.head.patches > MAX_PATCHES
        or snapshot.behind
    )


def stored_snapshot(program: Program) -> Snapshot | None:
    """The program's stored snapshot, for a page: never built here. None while the worker
    builds the first one; a stale one is used while the worker rebuilds it."""
    found = store.current(program.pk)
    stale = found is None or is_stale(found, program.calendar.today(timezone.now()))
    if stale and schedule_rebuild(program.pk):  # rebuilt here: read it
        found = store.current(program.pk)
    return found


def snapshot_for(program: Program) -> Snapshot:
    """The program's snapshot, for the worker and commands: built here when none is stored
    (a stale one is used while the worker rebuilds it, as on a page)."""
    found = store.current(program.pk)
    if found is not None:
        return stored_snapshot(program) or found
    built = store.rebuild(program, timezone.now()) or store.current(program.pk)
    if built is None:  # another rebuild published between the two reads
        raise store.LockBusyError(f"snapshot of program {program.pk}")
    return built


def supporters_changed(program_id: int) -> None:
    """Many of the program's supporters, or what they are measured against, changed: once
    this transaction commits, the worker rebuilds the snapshot (if there is one)."""

    def rebuild() -> None:
        if store.read_head(program_id) is not None:
            schedule_rebuild(program_id)

    transaction.on_commit(rebuild)


# ---- one supporter's change, applied after commit ------------------------------------------

_pending = threading.local()


def _changed() -> dict[int, int | None]:
    if not hasattr(_pending, "supporters"):
        _pending.supporters = {}
    changed: dict[int, int | None] = _pending.supporters
    return changed


def supporter_changed(supporter_id: int, program_id: int | None = None) -> None:
    """Applies the supporter's change to their program's snapshot once this transaction
    commits (with every other supporter it changed)."""
    changed = _changed()
    changed[supporter_id] = program_id or changed.get(supporter_id)
    transaction.on_commit(_apply_changes)


def _programs_of(changed: dict[int, int | None]) -> dict[int, list[int]]:
    unknown = [pk for pk, program_id in changed.items() if program_id is None]
    known = dict(Supporter.objects.filter(pk__in=unknown).values_list("pk", "program_id"))
    by_program: dict[int, list[int]] = {}
    for supporter_id, program_id in changed.items():
        found = program_id or known.get(supporter_id)
        if found is not None:  # deleted, and their program unknown: their deletion tells
            by_program.setdefault(found, []).append(supporter_id)
    return by_program


def _apply_changes() -> None:
    changed = dict(_changed())
    _changed().clear()
    if not changed:
        return
    for program_id, supporter_ids in _programs_of(changed).items():
        try:
            _apply(program_id, sorted(supporter_ids))
        except Exception:  # the page that saved must not fail for the cache: rebuild instead
            logger.exception("Could not patch the snapshot of program %s", program_id)
            schedule_rebuild(program_id)


def _apply(program_id: int, supporter_ids: list[int]) -> None:
    if store.read_head(program_id) is None:
        return  # nothing stored: the first build reads them
    if len(supporter_ids) > MAX_PATCHED_AT_ONCE:
        schedule_rebuild(program_id)
        return
    program = Program.objects.get(pk=program_id)
    store.log_change(program, supporter_ids, timezone.now())


# ---- watching the rows the snapshot is built from --------------------------------------------

_ONE_SUPPORTER: tuple[type[Model], ...] = (
    Supporter,
    LivedExperience,
    StepRecord,
    BackgroundCheck,
    TrainingRecord,
)
_EVERY_SUPPORTER: tuple[type[Model], ...] = (Program, Site, PipelineStep, TrainingModule)


def _on_supporter_row(sender: type[Model], instance: Model, **kwargs: object) -> None:
    if isinstance(instance, Supporter):
        supporter_changed(instance.pk, instance.program_id)
        return
    supporter_id = getattr(instance, "supporter_id", None)
    if isinstance(supporter_id, int):
        supporter_changed(supporter_id)


def _on_program_row(sender: type[Model], instance: Model, **kwargs: object) -> None:
    program_id = (
        instance.pk if isinstance(instance, Program) else getattr(instance, "program_id", None)
    )
    if isinstance(program_id, int):
        supporters_changed(program_id)


def _connect(models: Iterable[type[Model]], receiver: Callable[..., None], name: str) -> None:
    for model in models:
        uid = f"snapshot-{name}:{model.__name__}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-deleted")


def watch_for_changes() -> None:
    """Keeps snapshots current as the rows they are built from are saved or deleted.

    A cache concern, not a domain event: nothing else listens, and the services stay unaware.
    """
    _connect(_ONE_SUPPORTER, _on_supporter_row, "supporter")
    _connect(_EVERY_SUPPORTER, _on_program_row, "program")


def forget_all() -> None:
    """Forgets this process's copies and the changes not yet applied (tests start afresh)."""
    store.forget_copies()
    _changed().clear()
