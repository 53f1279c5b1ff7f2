"""The demo, for the tests that walk every page of every demo person."""

from collections.abc import Iterator

import pytest
from django.db import transaction
from pytest_django import DjangoDbBlocker

from alongside.demo.seed import seed_demo


@pytest.fixture(scope="module")
def seeded_demo(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, built once for the module inside a transaction rolled back at its end (each
    test's own transaction is a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded_demo: None, db: None) -> None:
    """The demo people, seen from one test's transaction."""
