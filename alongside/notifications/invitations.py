"""The invitation e-mail: sent for accounts.services.invite_person through accounts' hook.

accounts opens the account and decides who is invited; it sits below notifications, so this
sender is registered with it (NotificationsConfig.ready, docs/adr/0003).
"""

from django.conf import settings
from django.db import models

from alongside.accounts.invitations import invitation_path
from alongside.accounts.models import User
from alongside.notifications import messages
from alongside.notifications.models import OutboxMessage
from alongside.notifications.notify import notify


def send_invitation(user: User, program: models.Model | None, renewal_of: int | None) -> bool:
    """Queues the e-mail with a new link to choose a password; whether it was queued now.

    Once per account for the first invitation, and once per expired link (`renewal_of`, the
    expired link's issue time) for a new one.
    """
    kind = messages.INVITATION_SENT if renewal_of is None else messages.INVITATION_RENEWED
    key: tuple[object, ...] = (kind.code, user.pk)
    if renewal_of is not None:
        key += (renewal_of,)
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
        program=program,  # type: ignore[arg-type]
    )
    return True
