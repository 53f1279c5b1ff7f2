"""What safety tells people: the kinds of message and their texts.

A kind's code is the start of the idempotency keys these messages had before notify()
("safety.escalation", "safety.sla"); the kinds that share one have each their wording key.
"""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind

TOPIC = _("Safety")
ESCALATION_LINK = f"{settings.SITE_URL}/escalations/19/"
TO_COORDINATORS = (Channel.IN_APP, Channel.EMAIL)
# To whoever raised the escalation: who has it, and when it was raised.
RAISER_SAMPLE = {
    "name": "Alex Martin",
    "number": 19,
    "raised": dt.datetime(2026, 6, 3, 23, 40, tzinfo=dt.UTC),
}
SLA_SAMPLE = {
    "number": 128,
    "due": dt.datetime(2026, 6, 4, 21, 0, tzinfo=dt.UTC),
    "link": f"{settings.SITE_URL}/requests/",
}

# An urgent escalation, to one person at a time along the on-call rota, on every channel.
ESCALATION_URGENT = MessageKind(
    "safety.escalation",
    subject=_("Urgent: escalation #%(number)s needs you now"),
    body=_(
        "A supporter in %(program)s raised an urgent escalation. Please acknowledge it within "
        "%(minutes)s minutes, or it goes to the next person on call: %(link)s"
    ),
    urgent=True,
    name=_("When a supporter raises an urgent escalation"),
    to=_("to the person on call, then the next one until someone acknowledges it"),
    channels=(Channel.IN_APP, Channel.EMAIL, Channel.SMS),
    sample={"number": 19, "minutes": 15, "link": ESCALATION_LINK},
    wording_key="safety.escalation.urgent",
)
# One beyond the supporter's role, to every coordinator.
ESCALATION_NEEDS_HELP = MessageKind(
    "safety.escalation",
    subject=_("A supporter needs your help (escalation #%(number)s)"),
    body=_("A supporter in %(program)s asked for a coordinator's help: %(link)s"),
    name=_("When a supporter asks for a coordinator's help"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample={"number": 19, "link": ESCALATION_LINK},
    wording_key="safety.escalation.help",
)

# To whoever raised the escalation.
ESCALATION_ACKNOWLEDGED = MessageKind(
    "safety.escalation",
    subject=_("About your escalation #%(number)s"),
    body=_(
        "%(name)s has your escalation #%(number)s, raised on %(raised)s, and is dealing with it."
    ),
    name=_("When someone takes charge of an escalation"),
    to=_("to whoever raised it"),
    channels=(Channel.IN_APP,),
    sample=RAISER_SAMPLE,
    wording_key="safety.escalation.acknowledged",
)
ESCALATION_RESOLVED = MessageKind(
    "safety.escalation",
    subject=ESCALATION_ACKNOWLEDGED.subject,
    body=_("Your escalation #%(number)s, raised on %(raised)s, has been resolved by %(name)s."),
    name=_("When an escalation is resolved"),
    to=_("to whoever raised it"),
    channels=(Channel.IN_APP,),
    sample=RAISER_SAMPLE,
    wording_key="safety.escalation.resolved",
)

# Time to match, to the program's coordinators.
SLA_AT_RISK = MessageKind(
    "safety.sla",
    subject=_("Request #%(number)s is nearly due"),
    body=_("Request #%(number)s is still waiting for a match and is due by %(due)s: %(link)s"),
    name=_("When a request is nearly due and still has no match"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample=SLA_SAMPLE,
    wording_key="safety.sla.at_risk",
)
SLA_BREACHED = MessageKind(
    "safety.sla",
    subject=_("Request #%(number)s is past due"),
    body=_("Request #%(number)s was due by %(due)s and still has no match: %(link)s"),
    name=_("When a request is past due and still has no match"),
    to=_("to the program's coordinators"),
    channels=TO_COORDINATORS,
    sample=SLA_SAMPLE,
    wording_key="safety.sla.breached",
)
