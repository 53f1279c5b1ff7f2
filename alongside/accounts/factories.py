"""Factories shared by the tests and the demo data (seed_demo)."""

from typing import Any

import factory
from factory.django import DjangoModelFactory

from alongside.accounts.models import Membership, Role, User

DEMO_PASSWORD = "alongside-demo"  # noqa: S105  (demo and test accounts only)


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttributeSequence(
        lambda user, number: f"{user.first_name.lower()}.{number}@example.org"
    )
    password = factory.django.Password(DEMO_PASSWORD)


class MembershipFactory(DjangoModelFactory[Membership]):
    class Meta:
        model = Membership
        django_get_or_create = ("user", "program", "role")

    user = factory.SubFactory(UserFactory)
    program = factory.SubFactory("alongside.programs.factories.ProgramFactory")
    role = Role.COORDINATOR


def user_with_role(role: Role, program: Any, **fields: Any) -> User:
    """A user holding `role` in `program`."""
    user = UserFactory(**fields)
    MembershipFactory(user=user, program=program, role=role)
    return user
