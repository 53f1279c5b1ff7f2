"""The per-process cache of each program's snapshot, and the shared versions that stale it.

A process keeps one snapshot per program and rebuilds it when it is stale: a supporter (or
anything the readiness gate reads) changed, the day turned (trainings expire), or it is older
than `MAX_AGE` (a backstop for changes that bypass `save()`). Changes bump a per-program version
in the shared cache, so every process notices.
"""

import datetime as dt
import threading
import time
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
from django.core.cache import cache
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from alongside.matching.scoring import SupporterPool
from alongside.matching.snapshot.encoding import GONE, Vocabulary, build_pool, program_supporters
from alongside.programs.models import PipelineStep, Program, Site, TrainingModule
from alongside.supporters.models import (
    BackgroundCheck,
    LivedExperience,
    StepRecord,
    Supporter,
    TrainingRecord,
)

MAX_AGE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Snapshot:
    program_id: int
    version: int
    built_on: dt.date
    built_at: float  # time.monotonic()
    pool: SupporterPool  # its open_matches are as of the build; see `with_current_load`
    vocabulary: Vocabulary
    row_of: dict[int, int]  # supporter id -> row
    gone: npt.NDArray[np.bool_]  # alumni and withdrawn: never worth a "why not" line

    def with_current_load(self, load: dict[int, int]) -> SupporterPool:
        open_matches = np.zeros(len(self.pool), dtype=np.int64)
        for supporter_id, count in load.items():
            row = self.row_of.get(supporter_id)
            if row is not None:
                open_matches[row] = count
        return replace(self.pool, open_matches=open_matches)


_lock = threading.Lock()
_snapshots: dict[int, Snapshot] = {}


def _version_key(program_id: int) -> str:
    return f"matching.snapshot.version:{program_id}"


def version(program_id: int) -> int:
    value = cache.get(_version_key(program_id), 0)
    return value if isinstance(value, int) else 0


def supporters_changed(program_id: int) -> None:
    """Marks a program's snapshots stale in every process."""
    key = _version_key(program_id)
    if not cache.add(key, 1, timeout=None):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=None)


def _program_of(instance: object) -> int | None:
    if isinstance(instance, Supporter):
        return instance.program_id
    program_id = getattr(instance, "program_id", None)
    if isinstance(program_id, int):
        return program_id
    supporter_id = getattr(instance, "supporter_id", None)
    if isinstance(supporter_id, int):
        found = Supporter.objects.filter(pk=supporter_id).values_list("program_id", flat=True)
        return found.first()
    return None


def _on_change(sender: type[Model], instance: Model, **kwargs: object) -> None:
    program_id = _program_of(instance)
    if program_id is not None:
        supporters_changed(program_id)


def watch_for_changes() -> None:
    """Marks snapshots stale whenever a row they are built from is saved or deleted.

    A cache concern, not a domain event: nothing else listens, and the services stay unaware.
    """
    for model in (
        Supporter,
        LivedExperience,
        StepRecord,
        BackgroundCheck,
        TrainingRecord,
        PipelineStep,
        TrainingModule,
        Site,
    ):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"snapshot:{model.__name__}")
        post_delete.connect(_on_change, sender=model, dispatch_uid=f"snapshot-del:{model.__name__}")


def forget_all() -> None:
    with _lock:
        _snapshots.clear()


def snapshot_for(program: Program) -> Snapshot:
    """The program's snapshot, rebuilt first when a supporter changed, the day turned, or it
    is older than MAX_AGE."""
    now = timezone.now()
    today = program.calendar.today(now)
    current_version = version(program.pk)
    with _lock:
        found = _snapshots.get(program.pk)
    fresh = (
        found is not None
        and found.version == current_version
        and found.built_on == today
        and time.monotonic() - found.built_at < MAX_AGE.total_seconds()
    )
    if found is not None and fresh:
        return found
    supporters = program_supporters(program.pk)
    pool, vocabulary = build_pool(program, supporters, now=now)
    built = Snapshot(
        program_id=program.pk,
        version=current_version,
        built_on=today,
        built_at=time.monotonic(),
        pool=pool,
        vocabulary=vocabulary,
        row_of={supporter.pk: row for row, supporter in enumerate(supporters)},
        gone=np.array([supporter.status in GONE for supporter in supporters], dtype=bool),
    )
    with _lock:
        _snapshots[program.pk] = built
    return built
