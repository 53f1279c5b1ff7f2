"""Who hears about what happens to supporters: the program's coordinators and supervisors."""

from alongside.accounts.models import Role, User
from alongside.notifications.models import Channel
from alongside.notifications.services import queue_message
from alongside.programs.models import Program


def _members(program: Program, role: Role) -> list[User]:
    return list(
        User.objects.filter(
            memberships__program=program,
            memberships__role=role,
            memberships__is_active=True,
            is_active=True,
        ).distinct()
    )


def tell_coordinators(program: Program, *, subject: str, body: str, key: str) -> None:
    """Queue an in-app message to each of the program's coordinators."""
    _tell(_members(program, Role.COORDINATOR), program, subject=subject, body=body, key=key)


def tell_supervisors(program: Program, *, subject: str, body: str, key: str) -> None:
    """Queue an in-app message to each of the program's supervisors, or else its coordinators."""
    supervisors = _members(program, Role.SUPERVISOR)
    if not supervisors:
        tell_coordinators(program, subject=subject, body=body, key=key)
    _tell(supervisors, program, subject=subject, body=body, key=key)


def _tell(users: list[User], program: Program, *, subject: str, body: str, key: str) -> None:
    for user in users:
        queue_message(
            channel=Channel.IN_APP,
            recipient=user,
            to_address=user.email,
            subject=subject,
            body=body,
            idempotency_key=f"{key}:{user.pk}",
            program=program,
        )
