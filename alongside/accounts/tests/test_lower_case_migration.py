"""Addresses stored with capitals before sign-in compared them in lower case are lowered."""

from importlib import import_module

import pytest
from django.apps import apps

from alongside.accounts.factories import UserFactory
from alongside.accounts.models import User

pytestmark = pytest.mark.django_db

migration = import_module("alongside.accounts.migrations.0002_addresses_in_lower_case")


def stored_as(user: User, email: str) -> None:
    # As the earlier code stored it: past the model's save, which now lowers it.
    User.objects.filter(pk=user.pk).update(email=email)


def test_capitals_are_lowered_unless_another_account_holds_the_lowered_address():
    mixed = UserFactory()
    stored_as(mixed, "Sam.Rivers@example.org")
    first_twin, second_twin = UserFactory(), UserFactory()
    stored_as(first_twin, "Kim@example.org")
    stored_as(second_twin, "KIM@example.org")
    plain = UserFactory(email="robin@example.org")

    migration.lower_case_addresses(apps, None)

    assert User.objects.get(pk=mixed.pk).email == "sam.rivers@example.org"
    twins = {User.objects.get(pk=first_twin.pk).email, User.objects.get(pk=second_twin.pk).email}
    assert "kim@example.org" in twins  # one of the two takes it, the other keeps its capitals
    assert len(twins) == 2
    assert User.objects.get(pk=plain.pk).email == "robin@example.org"
