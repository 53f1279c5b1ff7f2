"""What matching tells people: the kinds of message and their texts."""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import Digest, MessageKind
from alongside.programs.models import Program

TOPIC = _("Asking supporters to take on someone")
PROPOSAL_LINK = f"{settings.SITE_URL}/matching/proposals/42/"
TO_SUPPORTER = (Channel.EMAIL, Channel.IN_APP)
# The supporter's answer, as the coordinators read of it.
ANSWER_SAMPLE = {"name": "Sam Tremblay", "number": 128, "link": PROPOSAL_LINK}

PROPOSAL_SENT = MessageKind(
    "matching.proposal.sent",
    subject=_("Can you support someone new?"),
    body=_(
        "Hello %(recipient)s,\n\nWe would like to match you with someone in %(program)s. "
        "Please say yes or no by %(due)s:\n%(link)s\n"
    ),
    name=_("When a supporter is asked to take on someone new"),
    to=_("to the supporter"),
    channels=TO_SUPPORTER,
    sample={"due": dt.datetime(2026, 6, 5, 16, 0, tzinfo=dt.UTC), "link": PROPOSAL_LINK},
)
PROPOSAL_WITHDRAWN = MessageKind(
    "matching.proposal.withdrawn",
    subject=_("The request we asked you about is taken back"),
    body=_(
        "Hello %(recipient)s,\n\nThe coordinator of %(program)s has taken back the request "
        "we asked you about. There is nothing more for you to do. Thank you for your time.\n"
    ),
    name=_("When a coordinator takes back what a supporter was asked"),
    to=_("to the supporter"),
    channels=TO_SUPPORTER,
    sample={},
)

# The supporter's answer (or its absence), to the program's coordinators.
PROPOSAL_ACCEPTED = MessageKind(
    "matching.proposal.accepted",
    subject=_("%(name)s said yes to request #%(number)s"),
    body=_("Confirm the match to introduce them: %(link)s"),
    name=_("When a supporter says yes"),
    to=_("to the program's coordinators"),
    channels=(Channel.IN_APP,),
    sample=ANSWER_SAMPLE,
)
PROPOSAL_DECLINED = MessageKind(
    "matching.proposal.declined",
    subject=_("%(name)s said no to request #%(number)s"),
    body=_("The request is waiting again; their reason is on the proposal: %(link)s"),
    name=_("When a supporter says no"),
    to=_("to the program's coordinators"),
    channels=(Channel.IN_APP,),
    sample=ANSWER_SAMPLE,
)


def _proposals(_program: Program) -> str:
    return reverse("matching:proposals")


# In place of one message a proposal when a run expires many (ADR 0007), to each coordinator.
PROPOSALS_EXPIRED_DIGEST = MessageKind(
    "matching.proposal.expired",
    subject=_("No answer in time to %(count)s proposals"),
    body=_(
        "The time to answer passed on %(count)s proposals in %(program)s; their requests are "
        "waiting again: %(items)s. The proposals: %(link)s"
    ),
    name=_("When many supporters do not answer in time at once"),
    to=_("to each of the program's coordinators, in place of a message a proposal"),
    channels=(Channel.IN_APP,),
    sample={
        "count": 14,
        "items": "Sam Tremblay (#128), Robin Gagnon (#131), Alex Martin (#140) and 11 more",
        "link": f"{settings.SITE_URL}/matching/proposals/",
    },
    wording_key="matching.proposal.expired.digest",
)
PROPOSAL_EXPIRED = MessageKind(
    "matching.proposal.expired",
    subject=_("No answer from %(name)s for request #%(number)s"),
    body=_("The time to answer passed; the request is waiting again: %(link)s"),
    name=_("When a supporter does not answer in time"),
    to=_("to the program's coordinators"),
    channels=(Channel.IN_APP,),
    sample=ANSWER_SAMPLE,
    digest=Digest(PROPOSALS_EXPIRED_DIGEST, label=_("%(name)s (#%(number)s)"), link_to=_proposals),
)
