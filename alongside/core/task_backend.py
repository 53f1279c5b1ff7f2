"""A django.tasks backend that runs tasks on huey.

No maintained package offers this for Django 6's task API, and it is small: the task is queued
on huey by its import path and looked up again in the worker. Huey's storage is SQLite by
default and Redis when HUEY_REDIS_URL is set (config/settings.py).
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskResult, TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from huey.contrib.djhuey import task


def _load_task(module_path: str) -> Task[..., Any]:
    module_name, _, attribute = module_path.rpartition(".")
    found = getattr(import_module(module_name), attribute)
    if not isinstance(found, Task):
        raise TypeError(f"{module_path} is not a task.")
    return found


@task(name="alongside.run_task")  # type: ignore[untyped-decorator]
def run_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    _load_task(module_path).call(*args, **kwargs)


class HueyTaskBackend(BaseTaskBackend):
    supports_defer = True

    def enqueue(self, task: Task[..., Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        result: TaskResult[Any, Any] = TaskResult(
            task=task,
            id=get_random_string(32),
            status=TaskResultStatus.READY,
            enqueued_at=timezone.now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=list(args),
            kwargs=dict(kwargs),
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        call_args = (task.module_path, result.args, result.kwargs)
        if task.run_after is not None:
            run_task.schedule(args=call_args, eta=task.run_after)
        else:
            run_task(*call_args)
        return result
