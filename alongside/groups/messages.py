"""What groups tell the supporters they invite: the kinds of message and their texts."""

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils import formats
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind

TOPIC = _("Group sessions and check-in meetings")
SESSION_SAMPLE = {
    "title": _("Monthly check-in meeting"),
    "when": dt.datetime(2026, 6, 9, 22, 0, tzinfo=dt.UTC),
    "where": _("Community room, 2nd floor"),
    "reason": _("The room is closed for repairs. We will write with a new date."),
}


def _with_start(text: Promise) -> Callable[[Mapping[str, Any]], str]:
    """The text with the session's start as "Tuesday 3 June 2025, 18:00 EDT", in the reader's
    zone and language."""

    def filled(context: Mapping[str, Any]) -> str:
        start = context["when"]
        when = f"{formats.date_format(start, 'l j F Y, H:i')} {start.tzname()}"
        return str(text) % {**context, "when": when}

    return filled


SESSION_INVITED = MessageKind(
    "groups.session.invited",
    subject=_("You are invited: %(title)s"),
    body=_with_start(
        _(
            "Hello %(recipient)s,\n\nYou are invited to %(title)s on %(when)s, %(where)s.\n"
            "Sign in to Alongside and open My page to say whether you can come.\n"
        )
    ),
    name=_("When supporters are invited to a session"),
    to=_("to each supporter invited"),
    channels=(Channel.EMAIL,),
    sample=SESSION_SAMPLE,
)
SESSION_CHANGED = MessageKind(
    "groups.session.changed",
    subject=_("Changed: %(title)s"),
    body=_with_start(
        _(
            "Hello %(recipient)s,\n\n%(title)s has changed. It is now on %(when)s, %(where)s.\n"
            "Sign in to Alongside to see the details.\n"
        )
    ),
    name=_("When a session changes"),
    to=_("to the supporters invited who have not said they cannot come"),
    channels=(Channel.EMAIL,),
    sample=SESSION_SAMPLE,
)
SESSION_CANCELLED = MessageKind(
    "groups.session.cancelled",
    subject=_("Cancelled: %(title)s"),
    body=_with_start(
        _("Hello %(recipient)s,\n\n%(title)s on %(when)s is cancelled.\n\n%(reason)s\n")
    ),
    name=_("When a session is cancelled"),
    to=_("to the supporters invited who have not said they cannot come"),
    channels=(Channel.EMAIL,),
    sample=SESSION_SAMPLE,
)
