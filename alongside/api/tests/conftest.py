import datetime as dt

import pytest
from django.utils import timezone

from alongside.accounts.factories import MembershipFactory, user_with_role
from alongside.accounts.models import Role
from alongside.api.models import Scope
from alongside.api.tokens import issue_token


def make_token(program, creator, scopes=(Scope.WRITE_REFERRALS,), *, days=30, name="Hospital"):
    """A token and its secret, as the settings page makes them."""
    return issue_token(
        program=program,
        created_by=creator,
        name=name,
        scopes=[str(scope) for scope in scopes],
        expires_on=timezone.localdate() + dt.timedelta(days=days),
    )


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def referring(program_a, ms):
    program_a.accepts_referrals = True
    program_a.save()
    return program_a


@pytest.fixture
def coordinator_of_both(program_a, program_b):
    """A coordinator of programs A and B: their token of B must not reach A's records."""
    user = user_with_role(Role.COORDINATOR, program_a, email="coordinator.both@example.org")
    MembershipFactory(user=user, program=program_b, role=Role.COORDINATOR)
    return user


def token_header(program, creator, *scopes):
    """The Authorization header of a new token of `program` with `scopes`."""
    _token, raw = make_token(program, creator, scopes)
    return bearer(raw)
