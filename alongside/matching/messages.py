"""What matching tells people: the kinds of message and their texts."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind

PROPOSAL_SENT = MessageKind(
    "matching.proposal.sent",
    subject=_("Can you support someone new?"),
    body=_(
        "Hello %(recipient)s,\n\nWe would like to match you with someone in %(program)s. "
        "Please say yes or no by %(due)s:\n%(link)s\n"
    ),
)
PROPOSAL_WITHDRAWN = MessageKind(
    "matching.proposal.withdrawn",
    subject=_("The request we asked you about is taken back"),
    body=_(
        "Hello %(recipient)s,\n\nThe coordinator of %(program)s has taken back the request "
        "we asked you about. There is nothing more for you to do. Thank you for your time.\n"
    ),
)

# The supporter's answer (or its absence), to the program's coordinators.
PROPOSAL_ACCEPTED = MessageKind(
    "matching.proposal.accepted",
    subject=_("%(name)s said yes to request #%(number)s"),
    body=_("Confirm the match to introduce them: %(link)s"),
)
PROPOSAL_DECLINED = MessageKind(
    "matching.proposal.declined",
    subject=_("%(name)s said no to request #%(number)s"),
    body=_("The request is waiting again; their reason is on the proposal: %(link)s"),
)
PROPOSAL_EXPIRED = MessageKind(
    "matching.proposal.expired",
    subject=_("No answer from %(name)s for request #%(number)s"),
    body=_("The time to answer passed; the request is waiting again: %(link)s"),
)
