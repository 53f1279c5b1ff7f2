"""What privacy tells people: the kinds of message and their texts."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind

TOPIC = _("Privacy")

# To the program's privacy leads: someone opened a record outside their scope. No name, no
# reason: the link leads to the review, behind sign-in.
BREAK_GLASS_OPENED = MessageKind(
    "privacy.break_glass.opened",
    subject=_("Emergency access #%(number)s to review"),
    body=_(
        "A member of %(program)s opened a record outside their scope in an emergency, "
        "%(opened)s. Please read their reason and review it: %(link)s"
    ),
    name=_("When someone opens a record outside their scope in an emergency"),
    to=_("to the program's privacy leads (or, with none, its administrators)"),
    channels=(Channel.IN_APP, Channel.EMAIL),
    sample={
        "number": 7,
        "opened": dt.datetime(2026, 6, 3, 23, 40, tzinfo=dt.UTC),
        "link": f"{settings.SITE_URL}/privacy/emergency-access/7/",
    },
)
