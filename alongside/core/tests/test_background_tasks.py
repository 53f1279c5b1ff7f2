"""django.tasks on huey's own backend (config/settings.py TASKS): what the apps' tasks rely on.

The tests run huey in immediate mode (HUEY_IMMEDIATE defaults to true under test), so a task
runs in this process as soon as huey is handed it; the backend hands it over on commit.
"""

from typing import Any

import pytest
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist

from alongside.core.task_results import keep_result

ran: list[int] = []


@keep_result
@task
def remember(number: int) -> int:
    ran.append(number)
    return number * 2


@task
def forgettable(number: int) -> int:
    ran.append(number)
    return number


@task
def fail(reason: str) -> None:
    raise ValueError(reason)


@pytest.fixture(autouse=True)
def _forget() -> Any:
    ran.clear()
    yield
    ran.clear()


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_inside_a_transaction_runs_only_once_it_commits():
    with transaction.atomic():
        remember.enqueue(7)
        assert ran == []
    assert ran == [7]


@pytest.mark.django_db(transaction=True)
def test_a_task_enqueued_inside_a_transaction_that_rolls_back_never_runs():
    def enqueue_then_fail() -> None:
        with transaction.atomic():
            remember.enqueue(7)
            raise RuntimeError("the change is abandoned")

    with pytest.raises(RuntimeError):
        enqueue_then_fail()
    assert ran == []


@pytest.mark.django_db(transaction=True)
def test_in_tests_huey_runs_a_task_at_once_outside_a_transaction():
    remember.enqueue(3)

    assert ran == [3]


@pytest.mark.django_db(transaction=True)
def test_a_tasks_result_and_return_value_are_visible_by_its_id():
    result = remember.enqueue(5)

    stored = remember.get_result(result.id)
    assert stored.status == TaskResultStatus.SUCCESSFUL
    assert stored.return_value == 10
    assert stored.args == [5]
    assert stored.finished_at is not None


@pytest.mark.django_db(transaction=True)
def test_a_succeeded_tasks_record_is_forgotten_unless_its_task_keeps_results():
    forgotten = forgettable.enqueue(4)

    assert ran == [4]
    with pytest.raises(TaskResultDoesNotExist):
        forgettable.get_result(forgotten.id)


@pytest.mark.django_db(transaction=True)
def test_a_failed_tasks_result_names_the_error():
    result = fail.enqueue("no such message")

    stored = fail.get_result(result.id)
    assert stored.status == TaskResultStatus.FAILED
    assert stored.errors[0].exception_class_path == "builtins.ValueError"
    assert "no such message" in stored.errors[0].traceback


def test_the_apps_tasks_are_queued_through_huey():
    from huey.contrib.djhuey.tasks_backend import HueyBackend

    from alongside.notifications.tasks import deliver_message

    assert isinstance(deliver_message.get_backend(), HueyBackend)
