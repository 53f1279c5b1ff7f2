"""What intake tells people: the kinds of message and their texts."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind
from alongside.notifications.webhooks.events import WebhookEvent

TOPIC = _("Requests for support")

REQUEST_RECEIVED = MessageKind(
    "intake.request.received",
    subject=_("We received your request for peer support"),
    body=_(
        "Hello %(recipient)s,\n\nThank you for reaching out to %(program)s. "
        "A coordinator will contact you by %(due)s.\n"
    ),
    name=_("When someone asks for support"),
    to=_("to the person who asked"),
    channels=(Channel.EMAIL,),
    sample={"due": dt.datetime(2026, 6, 4, 21, 0, tzinfo=dt.UTC)},
)

# To each of the program's coordinators.
REQUEST_NEW = MessageKind(
    "intake.request.new",
    subject=_("New request for support"),
    body=_("Request #%(number)s is waiting for a match."),
    name=_("When someone asks for support"),
    to=_("to the program's coordinators"),
    channels=(Channel.IN_APP,),
    sample={"number": 128},
)

# What a program's partners' systems may be told (webhooks): ids only.
REQUEST_RECEIVED_EVENT = WebhookEvent(
    "intake.request.received", name=_("A request for support is received"), ids=("request",)
)
