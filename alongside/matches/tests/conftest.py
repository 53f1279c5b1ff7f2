import pytest

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.programs.models import Program


@pytest.fixture
def supervisor_a(program_a: Program) -> User:
    return user_with_role(Role.SUPERVISOR, program_a, email="supervisor.a@example.org")


@pytest.fixture
def supervisor_b(program_b: Program) -> User:
    return user_with_role(Role.SUPERVISOR, program_b, email="supervisor.b@example.org")
