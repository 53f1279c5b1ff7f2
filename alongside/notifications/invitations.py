"""Inviting a person: their account, and the e-mail with a link to set their password.

It sits here, not in accounts, because accounts sits below notifications and cannot send; it
is the one way every app opens an account for someone (supporters admitted or imported,
referrers, staff given a role), so that nobody has to guess "Forgot your password?".
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from alongside.accounts.invitations import invitation_path
from alongside.accounts.models import Role, User
from alongside.accounts.services import grant_role, is_waiting_for_a_password, open_account
from alongside.core.audit import record_event
from alongside.notifications import messages
from alongside.notifications.models import OutboxMessage
from alongside.notifications.notify import MessageKind, notify

if TYPE_CHECKING:
    from alongside.programs.models import Program


@dataclass(frozen=True)
class Invitation:
    user: User
    created: bool  # the account is new
    sent: bool  # an invitation was queued by this call


@transaction.atomic
def invite_person(
    *,
    email: str,
    invited_by: User | None,
    first_name: str = "",
    last_name: str = "",
    program: "Program | None" = None,
    role: Role | None = None,
) -> Invitation:
    """Opens the account for `email` unless it exists, gives it `role` in `program` when both
    are named, and e-mails an invitation to set a password when the person has none yet.

    Queues the invitation once per account: inviting again (another program, a double click)
    sends nothing new; the invitation page offers a fresh link when the first has expired.
    Audited (the account, the role, the invitation).
    """
    user, created = open_account(
        email=email, first_name=first_name, last_name=last_name, opened_by=invited_by
    )
    if role is not None and program is not None:
        grant_role(user=user, program=program, role=role, granted_by=invited_by)
    if not is_waiting_for_a_password(user):
        return Invitation(user=user, created=created, sent=False)
    sent = _send_once(
        messages.INVITATION_SENT,
        user,
        key=("accounts.invitation.sent", user.pk),
        program=program,
        actor=invited_by,
    )
    return Invitation(user=user, created=created, sent=sent)


@transaction.atomic
def renew_invitation(*, user: User, expired_link_issued_at: int) -> bool:
    """E-mails a new link to a person whose invitation link expired before they used it.

    Once per expired link: pressing "Send me a new link" twice sends one. Returns whether a
    link was queued now (not when the person has set a password since). Audited.
    """
    if not is_waiting_for_a_password(user):
        return False
    return _send_once(
        messages.INVITATION_RENEWED,
        user,
        key=("accounts.invitation.renewed", user.pk, expired_link_issued_at),
        program=None,
        actor=None,
    )


def _send_once(
    kind: MessageKind,
    user: User,
    *,
    key: tuple[object, ...],
    program: "Program | None",
    actor: User | None,
) -> bool:
    if OutboxMessage.objects.filter(idempotency_key=":".join(map(str, key))).exists():
        return False
    notify(
        kind=kind,
        recipients=[user],
        context={
            "link": settings.SITE_URL + invitation_path(user),
            "days": settings.ACCOUNT_INVITATION_DAYS,
        },
        idempotency_key=key,
        program=program,
    )
    program_id = program.pk if program is not None else None
    record_event(actor=actor, action=kind.code, target=user, program_id=program_id)
    return True
