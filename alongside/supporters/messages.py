"""What the supporters app tells people: the kinds of message and their texts."""

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import Digest, MessageKind
from alongside.programs.models import Program
from alongside.supporters.models import ApplicationOutcome

TOPIC = _("Supporters")
TO_COORDINATORS = (Channel.IN_APP,)
SUPPORTER = "Sam Tremblay"
EXPIRING = _("the background check")
EXPIRY_SAMPLE = {
    "name": SUPPORTER,
    "what": EXPIRING,
    "What": capfirst(EXPIRING),
    "day": dt.date(2026, 7, 1),
}

# In place of one message a supporter when a run finds many (ADR 0007), to each coordinator.
DIGEST_SAMPLE = {
    "count": 14,
    "items": f"{SUPPORTER} ({EXPIRING}), Robin Gagnon ({EXPIRING}) and 12 more",
    "link": f"{settings.SITE_URL}/supervision/",
}
TO_EACH_COORDINATOR = _("to each of the program's coordinators, in place of a message a supporter")
NAME_AND_WHAT = _("%(name)s (%(what)s)")


def _supporters(_program: Program) -> str:
    """The page listing the supporters coordinators look after, with their status."""
    return reverse("supporters:supervisees")


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
    name=_("When someone applies to be a supporter"),
    to=_("to the person who applied"),
    channels=(Channel.EMAIL,),
    sample={"reasons": []},
)

# The rest go to the program's coordinators (a debrief, to its supervisors).
APPLICATION_NEW = MessageKind(
    "supporters.application.new",
    subject=_("New supporter application"),
    body=_("Application #%(number)s: %(outcome)s."),
    name=_("When someone applies to be a supporter"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"number": 64, "outcome": ApplicationOutcome.ELIGIBLE.label},
)
SUPPORTERS_RETURNED_DIGEST = MessageKind(
    "supporters.supporter.returned",
    subject=_("%(count)s supporters are back from their break"),
    body=_(
        "%(count)s supporters in %(program)s are back from their break: %(items)s. Those who "
        "still need something recorded are paused. The supporters: %(link)s"
    ),
    name=_("When many supporters' breaks end at once"),
    to=TO_EACH_COORDINATOR,
    channels=TO_COORDINATORS,
    sample={**DIGEST_SAMPLE, "items": f"{SUPPORTER}, Robin Gagnon, Alex Martin and 11 more"},
    wording_key="supporters.supporter.returned.digest",
)
SUPPORTER_RETURNED = MessageKind(
    "supporters.supporter.returned",
    subject=_("%(name)s is back from their break"),
    body=_returned,
    name=_("When a supporter's break ends"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"name": SUPPORTER, "ready": True},
    digest=Digest(SUPPORTERS_RETURNED_DIGEST, label="%(name)s", link_to=_supporters),
)
WELLBEING_LOW = MessageKind(
    "supporters.wellbeing.low",
    subject=_("A supporter may need a check-in"),
    body=_("%(name)s said they are struggling (%(score)d out of 5)."),
    name=_("When a supporter says they are struggling"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"name": SUPPORTER, "score": 2},
)
DEBRIEF_REQUESTED = MessageKind(
    "supporters.debrief",
    subject=_("A supporter asks for a debrief"),
    body=_("%(name)s had a hard contact and would like to talk it through soon."),
    name=_("When a supporter asks for a debrief"),
    to=_("to the program's supervisors, or its coordinators when it has none"),
    channels=TO_COORDINATORS,
    sample={"name": SUPPORTER},
)
BREAK_TAKEN = MessageKind(
    "supporters.profile.break",
    subject=_("A supporter is taking a break"),
    body=_("%(name)s will take no new matches until %(day)s."),
    name=_("When a supporter takes a break"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"name": SUPPORTER, "day": dt.date(2026, 7, 15)},
)

# Expiry: to the supporter, then to the coordinators.
EXPIRY_REMINDER = MessageKind(
    "supporters.expiry.reminder",
    subject=_("Time to renew: %(what)s"),
    body=_(
        "Hello %(recipient)s,\n\n%(What)s expires on %(day)s. Please renew it before then, "
        "so you can keep being matched.\n"
    ),
    name=_("When a supporter's training or check expires soon"),
    to=_("to the supporter"),
    channels=(Channel.EMAIL,),
    sample=EXPIRY_SAMPLE,
)
EXPIRY_REMINDERS_DIGEST = MessageKind(
    "supporters.expiry.reminder.coordinators",
    subject=_("%(count)s trainings or checks expire soon"),
    body=_(
        "%(count)s trainings or checks of supporters in %(program)s expire soon: %(items)s. "
        "The supporters: %(link)s"
    ),
    name=_("When many supporters' trainings or checks expire soon at once"),
    to=TO_EACH_COORDINATOR,
    channels=TO_COORDINATORS,
    sample=DIGEST_SAMPLE,
    wording_key="supporters.expiry.reminder.coordinators.digest",
)
EXPIRY_REMINDER_TO_COORDINATORS = MessageKind(
    "supporters.expiry.reminder.coordinators",
    subject=_("A supporter's training or check expires soon"),
    body=_("%(What)s of %(name)s expires on %(day)s."),
    name=_("When a supporter's training or check expires soon"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample=EXPIRY_SAMPLE,
    digest=Digest(EXPIRY_REMINDERS_DIGEST, label=NAME_AND_WHAT, link_to=_supporters),
)
EXPIRY_PAUSED = MessageKind(
    "supporters.expiry.paused",
    subject=_("You are paused from new matches"),
    body=_(
        "Hello %(recipient)s,\n\n%(what)s has expired, so we have paused new matches for now. "
        "Your current matches go on. Renew it and you will be ready again.\n"
    ),
    name=_("When a supporter's training or check has expired"),
    to=_("to the supporter"),
    channels=(Channel.EMAIL,),
    sample={"name": SUPPORTER, "what": EXPIRING},
)
EXPIRY_PAUSES_DIGEST = MessageKind(
    "supporters.expiry.paused.coordinators",
    subject=_("%(count)s supporters were paused: something expired"),
    body=_(
        "%(count)s supporters in %(program)s are paused from new matches, as a training or "
        "check expired: %(items)s. The supporters: %(link)s"
    ),
    name=_("When many supporters' trainings or checks have expired at once"),
    to=TO_EACH_COORDINATOR,
    channels=TO_COORDINATORS,
    sample=DIGEST_SAMPLE,
    wording_key="supporters.expiry.paused.coordinators.digest",
)
EXPIRY_PAUSED_TO_COORDINATORS = MessageKind(
    "supporters.expiry.paused.coordinators",
    subject=_("A supporter was paused: something expired"),
    body=_("%(name)s is paused from new matches: %(what)s expired."),
    name=_("When a supporter's training or check has expired"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"name": SUPPORTER, "what": EXPIRING},
    digest=Digest(EXPIRY_PAUSES_DIGEST, label=NAME_AND_WHAT, link_to=_supporters),
)
