"""What notifications tells people on its own account: the invitation to set a password."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind

TOPIC = _("Accounts")
INVITATION_SAMPLE = {"link": f"{settings.SITE_URL}/welcome/4f/c9x-1a2b3c4d/", "days": 7}


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
    name=_("When someone is given an account"),
    to=_("to that person, with the link to choose their password"),
    channels=(Channel.EMAIL,),
    sample=INVITATION_SAMPLE,
)
INVITATION_RENEWED = MessageKind(
    "accounts.invitation.renewed",
    subject=_("Your new link to choose your Alongside password"),
    body=_(
        "Hello %(recipient)s,\n\nHere is a new link to choose your password:\n%(link)s\n\n"
        "It works once, for %(days)s days.\n"
    ),
    name=_("When someone's link to choose a password has expired"),
    to=_("to that person, with a new link"),
    channels=(Channel.EMAIL,),
    sample=INVITATION_SAMPLE,
)


def _address_undeliverable(values: Mapping[str, Any]) -> str:
    return gettext(
        "Hello %(recipient)s,\n\nMessages no longer reach %(name)s by %(channel)s: %(problem)s. "
        "Nothing more is sent to that address until a coordinator clears it, once the person has "
        "given a new one.\n"
    ) % {
        **values,
        "name": values["name"] or gettext("a person without an account"),
        "channel": str(values["channel"]).lower(),
        "problem": str(values["problem"]).lower(),
    }


# An e-mail bounced or was reported as spam, a text message could not reach its number.
ADDRESS_UNDELIVERABLE = MessageKind(
    "notifications.address.undeliverable",
    subject=_("An address no longer receives messages"),
    body=_address_undeliverable,
    name=_("When an e-mail bounces or a text message cannot be delivered"),
    to=_("to the program's coordinators, in the app"),
    channels=(Channel.IN_APP,),
    sample={"name": "Sam Tremblay", "channel": "e-mail", "problem": "bounced"},
)
