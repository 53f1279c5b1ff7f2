"""What safety tells people: the kinds of message and their texts.

A kind's code is the start of the idempotency keys these messages had before notify()
("safety.escalation", "safety.sla"); the kinds that share one have each their wording key.
"""

import datetime as dt
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alongside.intake.models import DueState
from alongside.notifications.models import Channel
from alongside.notifications.notify import Digest, MessageKind
from alongside.notifications.webhooks.events import WebhookEvent
from alongside.programs.models import Program

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


def _requests(due: DueState) -> Callable[[Program], str]:
    """The request queue of a program, filtered to the requests nearly due or overdue."""

    def link_to(program: Program) -> str:
        return f"{reverse('intake:queue')}?{urlencode({'program': program.pk, 'due': due})}"

    return link_to


# In place of one alert a request when a run finds many (ADR 0007), to each coordinator.
DIGEST_SAMPLE = {
    "count": 14,
    "items": "#128, #131, #140, #152, #160 and 9 more",
    "link": f"{settings.SITE_URL}/requests/?program=3&due=overdue",
}
SLA_AT_RISK_DIGEST = MessageKind(
    "safety.sla",
    subject=_("%(count)s requests are nearly due"),
    body=_(
        "%(count)s requests in %(program)s are nearly due and still have no match: %(items)s. "
        "All of them: %(link)s"
    ),
    name=_("When many requests are nearly due at once"),
    to=_("to each of the program's coordinators, in place of a message a request"),
    channels=TO_COORDINATORS,
    sample=DIGEST_SAMPLE,
    wording_key="safety.sla.at_risk.digest",
)
SLA_BREACHED_DIGEST = MessageKind(
    "safety.sla",
    subject=_("%(count)s requests passed their time to match"),
    body=_(
        "%(count)s requests in %(program)s passed their time to match and still have no "
        "match: %(items)s. All of them: %(link)s"
    ),
    name=_("When many requests are past due at once"),
    to=_("to each of the program's coordinators, in place of a message a request"),
    channels=TO_COORDINATORS,
    sample=DIGEST_SAMPLE,
    wording_key="safety.sla.breached.digest",
)
REQUEST_LABEL = _("#%(number)s")

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
    digest=Digest(SLA_AT_RISK_DIGEST, label=REQUEST_LABEL, link_to=_requests(DueState.AT_RISK)),
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
    digest=Digest(SLA_BREACHED_DIGEST, label=REQUEST_LABEL, link_to=_requests(DueState.OVERDUE)),
)

# What a program's partners' systems may be told (webhooks): ids only.
ESCALATION_RAISED_EVENT = WebhookEvent(
    "safety.escalation.raised",
    name=_("An escalation is raised"),
    ids=("escalation", "match", "request"),
)
ESCALATION_ACKNOWLEDGED_EVENT = WebhookEvent(
    "safety.escalation.acknowledged",
    name=_("An escalation is acknowledged"),
    ids=("escalation",),
)
