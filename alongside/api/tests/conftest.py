import datetime as dt

import pytest
from django.utils import timezone

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
