"""What the apps above accounts do when it invites a person, registered in their AppConfig.ready.

accounts sits below notifications, so it never imports it (docs/adr/0003): notifications
registers the sender that e-mails the invitation's link. A sender runs inside the inviting
service's transaction; one that raises undoes the invitation, account and all.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import models

from alongside.core.hooks import Registry

if TYPE_CHECKING:
    from alongside.accounts.models import User

# (person, program or None, the expired link's issue time or None) -> queued a message now.
# The program is a programs.Program, typed loosely because accounts sits below programs.
InvitationSender = Callable[["User", models.Model | None, int | None], bool]


@dataclass
class _Hooks:
    invitation_senders: Registry[InvitationSender] = field(default_factory=Registry)


HOOKS = _Hooks()


def on_invitation(sender: InvitationSender) -> None:
    HOOKS.invitation_senders.add(sender)


def send_invitation(user: "User", program: models.Model | None, renewal_of: int | None) -> bool:
    """Asks every registered sender to send the person their link; whether any queued one."""
    if not HOOKS.invitation_senders:
        raise RuntimeError("No app sends invitations: is alongside.notifications installed?")
    queued = [sender(user, program, renewal_of) for sender in HOOKS.invitation_senders]
    return any(queued)
