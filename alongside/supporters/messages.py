"""What the supporters app tells people: the kinds of message and their texts."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind


def _thanks(context: Mapping[str, Any]) -> str:
    if context["reasons"]:
        return gettext(
            "Hello %(recipient)s,\n\nThank you for offering to support others through "
            "%(program)s. For now we cannot take your application, because %(reasons)s. "
            "We have kept it; a coordinator may contact you.\n"
        ) % {**context, "reasons": gettext("; and ").join(context["reasons"])}
    return (
        gettext(
            "Hello %(recipient)s,\n\nThank you for offering to support others through "
            "%(program)s. A coordinator will contact you to arrange a first conversation.\n"
        )
        % context
    )


def _returned(context: Mapping[str, Any]) -> str:
    if context["ready"]:
        return gettext("They can be matched again.")
    return gettext("They are paused until what they still need is recorded.")


APPLICATION_RECEIVED = MessageKind(
    "supporters.application.received",
    subject=_("Thank you for your application"),
    body=_thanks,
)

# The rest go to the program's coordinators (a debrief, to its supervisors).
APPLICATION_NEW = MessageKind(
    "supporters.application.new",
    subject=_("New supporter application"),
    body=_("Application #%(number)s: %(outcome)s."),
)
SUPPORTER_RETURNED = MessageKind(
    "supporters.supporter.returned",
    subject=_("%(name)s is back from their break"),
    body=_returned,
)
WELLBEING_LOW = MessageKind(
    "supporters.wellbeing.low",
    subject=_("A supporter may need a check-in"),
    body=_("%(name)s said they are struggling (%(score)d out of 5)."),
)
DEBRIEF_REQUESTED = MessageKind(
    "supporters.debrief",
    subject=_("A supporter asks for a debrief"),
    body=_("%(name)s had a hard contact and would like to talk it through soon."),
)
BREAK_TAKEN = MessageKind(
    "supporters.profile.break",
    subject=_("A supporter is taking a break"),
    body=_("%(name)s will take no new matches until %(day)s."),
)

# Expiry: to the supporter, then to the coordinators.
EXPIRY_REMINDER = MessageKind(
    "supporters.expiry.reminder",
    subject=_("Time to renew: %(what)s"),
    body=_(
        "Hello %(recipient)s,\n\n%(What)s expires on %(day)s. Please renew it before then, "
        "so you can keep being matched.\n"
    ),
)
EXPIRY_REMINDER_TO_COORDINATORS = MessageKind(
    "supporters.expiry.reminder.coordinators",
    subject=_("A supporter's training or check expires soon"),
    body=_("%(What)s of %(name)s expires on %(day)s."),
)
EXPIRY_PAUSED = MessageKind(
    "supporters.expiry.paused",
    subject=_("You are paused from new matches"),
    body=_(
        "Hello %(recipient)s,\n\n%(what)s has expired, so we have paused new matches for now. "
        "Your current matches go on. Renew it and you will be ready again.\n"
    ),
)
EXPIRY_PAUSED_TO_COORDINATORS = MessageKind(
    "supporters.expiry.paused.coordinators",
    subject=_("A supporter was paused: something expired"),
    body=_("%(name)s is paused from new matches: %(what)s expired."),
)
