"""Telling a program's team: its coordinators, or its supervisors (else its coordinators).

The one way every app tells the people who run a program that something needs them.
"""

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

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
    supervisors: QuerySet[User] | None = None,
) -> None:
    """Queue an in-app message to each of `supervisors` (by default the program's central
    supervisors), or else, when there are none, to the program's coordinators."""
    chosen = members_of(program, [Role.SUPERVISOR]) if supervisors is None else supervisors
    if chosen.exists():
        notify(
            kind=kind,
            recipients=chosen,
            context=context,
            idempotency_key=_team_key(key, (Channel.IN_APP,)),
            channels=(Channel.IN_APP,),
            program=program,
            link=link,
        )
    else:
        _tell(program, [Role.COORDINATOR], kind=kind, context=context, key=key, link=link)


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
        .central()
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
