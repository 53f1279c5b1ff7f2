import pytest

from alongside.accounts.factories import UserFactory, user_with_role
from alongside.accounts.models import Membership, Role
from alongside.accounts.queries import roles_of
from alongside.accounts.services import grant_role, remove_role
from alongside.core.models import AuditEvent
from alongside.programs.factories import ProgramFactory

pytestmark = pytest.mark.django_db


def test_granting_a_role_gives_it_and_records_who_granted_it():
    program = ProgramFactory()
    administrator = user_with_role(Role.ADMINISTRATOR, program)
    person = UserFactory()

    membership = grant_role(
        user=person, program=program, role=Role.COORDINATOR, granted_by=administrator
    )

    assert Role.COORDINATOR in roles_of(person)
    event = AuditEvent.objects.get(action="accounts.role.granted")
    assert event.actor == administrator
    assert event.target_id == str(membership.pk)
    assert event.program_id == program.pk
    assert event.data == {"user": person.pk, "role": Role.COORDINATOR}


def test_granting_a_role_already_held_changes_nothing_and_records_nothing():
    program = ProgramFactory()
    administrator = user_with_role(Role.ADMINISTRATOR, program)
    person = user_with_role(Role.SUPPORTER, program)

    grant_role(user=person, program=program, role=Role.SUPPORTER, granted_by=administrator)

    assert Membership.objects.filter(user=person).count() == 1
    assert not AuditEvent.objects.filter(action="accounts.role.granted").exists()


def test_removing_a_role_takes_it_away_keeps_the_record_and_is_audited():
    program = ProgramFactory()
    administrator = user_with_role(Role.ADMINISTRATOR, program)
    person = user_with_role(Role.COORDINATOR, program)
    membership = Membership.objects.get(user=person)

    remove_role(membership=membership, removed_by=administrator)

    assert Role.COORDINATOR not in roles_of(person)
    assert Membership.objects.filter(pk=membership.pk, is_active=False).exists()
    event = AuditEvent.objects.get(action="accounts.role.removed")
    assert event.actor == administrator


def test_granting_a_removed_role_again_makes_it_active_again():
    program = ProgramFactory()
    administrator = user_with_role(Role.ADMINISTRATOR, program)
    person = user_with_role(Role.COORDINATOR, program)
    remove_role(membership=Membership.objects.get(user=person), removed_by=administrator)

    grant_role(user=person, program=program, role=Role.COORDINATOR, granted_by=administrator)

    assert Role.COORDINATOR in roles_of(person)
    assert Membership.objects.filter(user=person).count() == 1
