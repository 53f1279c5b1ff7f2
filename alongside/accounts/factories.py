"""Factories shared by the tests and the demo data (seed_demo)."""

import time
from typing import Any

import factory
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from allauth.mfa.utils import decrypt
from factory.django import DjangoModelFactory

from alongside.accounts.mfa import MFA_ROLES
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


def user_with_role(
    role: Role, program: Any, *, authenticator_app: bool | None = None, **fields: Any
) -> User:
    """A user holding `role` in `program`.

    Staff roles must sign in with an authenticator app, so they come with one already set up
    unless `authenticator_app=False` (the demo's staff set theirs up at first sign-in).
    """
    user = UserFactory.create(**fields)
    MembershipFactory(user=user, program=program, role=role)
    if role in MFA_ROLES if authenticator_app is None else authenticator_app:
        give_authenticator_app(user)
    return user


def give_authenticator_app(user: User) -> None:
    """Sets up an authenticator app (TOTP) for `user`, as they would on the set-up page."""
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())


def authenticator_code(user: User, *, steps_from_now: int = 0) -> str:
    """The code `user`'s authenticator app shows now (or `steps_from_now` periods away)."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret: str = decrypt(authenticator.data["secret"])
    return code_for_secret(secret, steps_from_now=steps_from_now)


def code_for_secret(secret: str, *, steps_from_now: int = 0) -> str:
    """What an authenticator app holding `secret` shows now (or `steps_from_now` periods away)."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD + steps_from_now
    code: str = format_hotp_value(hotp_value(secret, counter))
    return code
