"""What notifications tells people on its own account: the invitation to set a password."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind


def _invitation(values: Mapping[str, Any]) -> str:
    opened = (
        gettext("An account has been opened for you on Alongside, for %(program)s.")
        if values["program"]
        else gettext("An account has been opened for you on Alongside.")
    )
    return gettext(
        "Hello %(recipient)s,\n\n%(opened)s To start, choose your password with this link:\n"
        "%(link)s\n\nThe link works once, for %(days)s days. If it has expired, open it anyway: "
        "the page lets you ask for a new one.\n"
    ) % {**values, "opened": opened % values}


# A new account (supporter, referrer, staff): the link to set a password, and how long it works.
INVITATION_SENT = MessageKind(
    "accounts.invitation.sent",
    subject=_("Your Alongside account: choose your password"),
    body=_invitation,
)
INVITATION_RENEWED = MessageKind(
    "accounts.invitation.renewed",
    subject=_("Your new link to choose your Alongside password"),
    body=_(
        "Hello %(recipient)s,\n\nHere is a new link to choose your password:\n%(link)s\n\n"
        "It works once, for %(days)s days.\n"
    ),
)
