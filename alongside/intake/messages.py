"""What intake tells people: the kinds of message and their texts."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind

REQUEST_RECEIVED = MessageKind(
    "intake.request.received",
    subject=_("We received your request for peer support"),
    body=_(
        "Hello %(recipient)s,\n\nThank you for reaching out to %(program)s. "
        "A coordinator will contact you by %(due)s.\n"
    ),
)

# To each of the program's coordinators.
REQUEST_NEW = MessageKind(
    "intake.request.new",
    subject=_("New request for support"),
    body=_("Request #%(number)s is waiting for a match."),
)
