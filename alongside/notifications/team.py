"""Telling a program's team: its coordinators, or its supervisors (else its coordinators).

The one way every app tells the people who run a program that something needs them.
"""

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from alongside.accounts.models import Membership, Role, User
from alongside.notifications.models import Channel
from alongside.notifications.notify import (
    CHANNEL,
    RECIPIENT,
    MessageKind,
    Notice,
    notify,
)
from alongside.programs.models import Program
from alongside.programs.queries import members_of


def tell_coordinators(
    program: Program,
    *,
    kind: MessageKind,
    context: Mapping[str, Any],
    key: Sequence[object],
    channels: Sequence[Channel] = (Channel.IN_APP,),
    link: str = "",
) -> None:
    """Queue a message to each of the program's coordinators, in the app unless `channels` say
    otherwise. The key ends with the coordinator, then the channel when there is more than one.
    `link` is the page it is about, one every coordinator may open.
    """
    _tell(
        program,
        [Role.COORDINATOR],
        kind=kind,
        context=context,
        key=key,
        channels=channels,
        link=link,
    )


def tell_supervisors(
    program: Program,
    *,
    kind: MessageKind,
    context: Mapping[str, Any],
    key: Sequence[object],
    link: str = "",
) -> None:
    """Queue an in-app message to each of the program's supervisors, or else its coordinators."""
    has_supervisors = members_of(program, [Role.SUPERVISOR]).exists()
    roles = [Role.SUPERVISOR] if has_supervisors else [Role.COORDINATOR]
    _tell(program, roles, kind=kind, context=context, key=key, link=link)


def _tell(
    program: Program,
    roles: Sequence[Role],
    *,
    kind: MessageKind,
    context: Mapping[str, Any],
    key: Sequence[object],
    channels: Sequence[Channel] = (Channel.IN_APP,),
    link: str = "",
) -> None:
    notify(
        kind=kind,
        recipients=members_of(program, roles),
        context=context,
        idempotency_key=_team_key(key, channels),
        channels=channels,
        program=program,
        link=link,
    )


def _team_key(key: Sequence[object], channels: Sequence[Channel]) -> tuple[object, ...]:
    return (*key, RECIPIENT, *([CHANNEL] if len(channels) > 1 else []))


def coordinators_of(program_ids: Collection[int]) -> dict[int, list[User]]:
    """Each program's coordinators, as tell_coordinators finds them, in one query: for a batch
    that tells many programs' coordinators at once (`notice_to_coordinators`)."""
    memberships = (
        Membership.objects.filter(
            program_id__in=list(program_ids),
            role=Role.COORDINATOR,
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("user_id")
    )
    found: dict[int, list[User]] = {program_id: [] for program_id in program_ids}
    for membership in memberships:
        found[membership.program_id].append(membership.user)
    return found


def notice_to_coordinators(
    program: Program,
    *,
    coordinators: Sequence[User],
    kind: MessageKind,
    context: Mapping[str, Any],
    key: Sequence[object],
    channels: Sequence[Channel] = (Channel.IN_APP,),
    link: str = "",
) -> Notice:
    """What tell_coordinators queues, for notify_all; `coordinators` from `coordinators_of`."""
    return Notice(
        kind=kind,
        recipients=coordinators,
        context=context,
        idempotency_key=_team_key(key, channels),
        channels=channels,
        program=program,
        link=link,
    )
