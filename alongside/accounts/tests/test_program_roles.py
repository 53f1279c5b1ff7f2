"""One program at a time: whether a user holds a role there, for members and superusers alike."""

import pytest
from django.urls import reverse

from alongside.accounts.factories import give_authenticator_app
from alongside.accounts.models import STAFF_ROLES, Role, User
from alongside.programs.queries import holds_role_in


@pytest.fixture
def superuser(db: None) -> User:
    user = User.objects.create_superuser(email="root@example.org", password="a long password 1")
    give_authenticator_app(user)  # administrators sign in with one
    return user


def test_a_coordinator_holds_their_role_in_their_program_only(coordinator_a, program_a, program_b):
    assert holds_role_in(coordinator_a, STAFF_ROLES, program_a.pk)
    assert not holds_role_in(coordinator_a, STAFF_ROLES, program_b.pk)
    assert not holds_role_in(coordinator_a, {Role.SUPERVISOR}, program_a.pk)


def test_a_superuser_administers_every_active_program(superuser, program_a, program_b):
    assert holds_role_in(superuser, STAFF_ROLES, program_a.pk)
    assert holds_role_in(superuser, STAFF_ROLES, program_b.pk)
    assert not holds_role_in(superuser, {Role.SUPERVISOR}, program_a.pk)


@pytest.mark.parametrize("page", ["supporters:detail", "supporters:profile"])
@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_an_administrator_opens_a_supporters_pages(client, request, supporter_a, page, who):
    client.force_login(request.getfixturevalue(who))

    response = client.get(reverse(page, args=[supporter_a.pk]))

    assert response.status_code == 200
