"""What safety tells people: the kinds of message and their texts.

A kind's code is the start of the idempotency keys these messages had before notify()
("safety.escalation", "safety.sla"), so a program's saved wording for it still applies.
"""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind

# An urgent escalation, to one person at a time along the on-call rota, on every channel.
ESCALATION_URGENT = MessageKind(
    "safety.escalation",
    subject=_("Urgent: escalation #%(number)s needs you now"),
    body=_(
        "A supporter in %(program)s raised an urgent escalation. Please acknowledge it within "
        "%(minutes)s minutes, or it goes to the next person on call: %(link)s"
    ),
    urgent=True,
)
# One beyond the supporter's role, to every coordinator.
ESCALATION_NEEDS_HELP = MessageKind(
    "safety.escalation",
    subject=_("A supporter needs your help (escalation #%(number)s)"),
    body=_("A supporter in %(program)s asked for a coordinator's help: %(link)s"),
)

# To whoever raised the escalation.
ESCALATION_ACKNOWLEDGED = MessageKind(
    "safety.escalation",
    subject=_("About your escalation #%(number)s"),
    body=_(
        "%(name)s has your escalation #%(number)s, raised on %(raised)s, and is dealing with it."
    ),
)
ESCALATION_RESOLVED = MessageKind(
    "safety.escalation",
    subject=ESCALATION_ACKNOWLEDGED.subject,
    body=_("Your escalation #%(number)s, raised on %(raised)s, has been resolved by %(name)s."),
)

# Time to match, to the program's coordinators.
SLA_AT_RISK = MessageKind(
    "safety.sla",
    subject=_("Request #%(number)s is nearly due"),
    body=_("Request #%(number)s is still waiting for a match and is due by %(due)s: %(link)s"),
)
SLA_BREACHED = MessageKind(
    "safety.sla",
    subject=_("Request #%(number)s is past due"),
    body=_("Request #%(number)s was due by %(due)s and still has no match: %(link)s"),
)
