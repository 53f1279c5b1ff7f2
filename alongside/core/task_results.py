"""A finished task's record is forgotten unless a page reads it.

huey's django.tasks backend writes a record of every task into huey's storage (the SQLite file
or Redis) and never removes it: one record for every message delivered, growing for ever. A task
whose result a page shows (the progress of a long run) is declared with `@keep_result`; every
other task's record is dropped as soon as the task succeeds. A failed task's record is kept, so
that its error can be looked up.
"""

from typing import Any

from django.tasks import Task, TaskResult, TaskResultStatus
from huey.contrib.djhuey import HUEY
from huey.contrib.djhuey.tasks_backend import KEY

_KEPT: set[str] = set()


def keep_result[T: Task[Any, Any]](task: T) -> T:
    """Keep this task's record after it succeeds: a page reads its result."""
    _KEPT.add(task.module_path)
    return task


def forget_finished_result(*, task_result: TaskResult[Any, Any], **kwargs: Any) -> None:
    """Drop a succeeded task's record from huey's storage, unless its task keeps results."""
    if task_result.status != TaskResultStatus.SUCCESSFUL:
        return
    if task_result.task.module_path in _KEPT:
        return
    HUEY.delete(KEY % task_result.id)
