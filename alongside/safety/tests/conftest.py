"""People on the rota of program A: an on-call coordinator, a second one, and a backup."""

import pytest

from alongside.accounts.factories import user_with_role
from alongside.accounts.models import Role, User
from alongside.programs.models import Program
from alongside.safety.factories import OnCallShiftFactory, SafetyContactFactory
from alongside.safety.models import ShiftOrder


@pytest.fixture
def on_call_a(program_a: Program, coordinator_a: User) -> User:
    """coordinator_a is on call now, and has a mobile phone for urgent texts."""
    OnCallShiftFactory(program=program_a, user=coordinator_a, order=ShiftOrder.PRIMARY)
    SafetyContactFactory(user=coordinator_a, mobile_phone="+14165550100")
    return coordinator_a


@pytest.fixture
def second_on_call_a(program_a: Program, on_call_a: User) -> User:
    user = user_with_role(
        Role.COORDINATOR, program_a, email="second.coordinator@example.org", first_name="Jo"
    )
    OnCallShiftFactory(program=program_a, user=user, order=ShiftOrder.PRIMARY)
    return user


@pytest.fixture
def backup_a(program_a: Program, second_on_call_a: User) -> User:
    user = user_with_role(
        Role.COORDINATOR, program_a, email="backup.coordinator@example.org", first_name="Lee"
    )
    OnCallShiftFactory(program=program_a, user=user, order=ShiftOrder.BACKUP)
    return user
