"""What matches tells people: the kinds of message and their texts.

A kind's code is the start of the idempotency keys these messages had before notify(), so a
program's saved wording for it still applies; the introductions share one code for that reason.
"""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind

# A new match: to the supporter by e-mail and in the app, and to the peer.
MATCH_INTRODUCED_TO_SUPPORTER = MessageKind(
    "matches.match.introduced",
    subject=_("You have a new match in %(program)s"),
    body=_(
        "Hello %(recipient)s,\n\nYou have been matched with %(peer)s. Sign in to Alongside to see "
        "how they would like to be contacted.\n"
    ),
)
MATCH_INTRODUCED_IN_APP = MessageKind(
    "matches.match.introduced",
    subject=_("New match"),
    body=_("You have been matched with %(peer)s."),
)
MATCH_INTRODUCED_TO_PEER = MessageKind(
    "matches.match.introduced",
    subject=_("We found a peer supporter for you"),
    body=_("Hello %(recipient)s, %(supporter)s from %(program)s will contact you soon."),
)

# The peer's supporter leaves: someone takes over, or the request waits again.
MATCH_HANDED_OVER = MessageKind(
    "matches.match.handed_over",
    subject=_("Your peer supporter is changing"),
    body=_(
        "Hello %(recipient)s, %(previous)s can no longer continue as your peer supporter. "
        "%(supporter)s from %(program)s takes over and will contact you soon."
    ),
)
MATCH_RETURNED_TO_WAITING_LIST = MessageKind(
    "matches.match.returned_to_waiting_list",
    subject=_("Your peer supporter is changing"),
    body=_(
        "Hello %(recipient)s, %(previous)s can no longer continue as your peer supporter. "
        "%(program)s is finding someone new for you and will be in touch soon."
    ),
)

# To the referrer, in the app and by e-mail: their referral is matched (with whom, when the
# client agreed that they know), and it has ended (with a summary, when the client agreed).
REFERRAL_MATCHED_WITH = MessageKind(
    "matches.referral.matched_with",
    subject=_("Your referral to %(program)s is matched"),
    body=_(
        "Hello %(recipient)s,\n\n%(peer)s, whom you referred to %(program)s, is matched with "
        "%(supporter)s, a peer support worker. The client agreed that we tell you who.\n"
    ),
)
REFERRAL_MATCHED = MessageKind(
    "matches.referral.matched",
    subject=_("Your referral to %(program)s is matched"),
    body=_(
        "Hello %(recipient)s,\n\n%(peer)s, whom you referred to %(program)s, is matched with a "
        "peer support worker.\n"
    ),
)
MATCH_CLOSED = MessageKind(
    "matches.match.closed",
    subject=_("Peer support for your referral has ended"),
    body=_(
        "Hello %(recipient)s,\n\nThe peer support you referred %(peer)s to in %(program)s ran "
        "from %(start)s to %(end)s (%(weeks)s weeks), with %(contacts)s conversations. "
        "Goals achieved: %(goals_achieved)s of %(goals_total)s. It closed: %(reason)s.\n"
        "The client agreed that we tell you.\n"
    ),
)
REFERRAL_ENDED = MessageKind(
    "matches.referral.ended",
    subject=_("Peer support for your referral has ended"),
    body=_(
        "Hello %(recipient)s,\n\nThe peer support you referred %(peer)s to in %(program)s has "
        "ended.\n"
    ),
)

# To whoever logged the contact.
CONTACT_COMMENTED = MessageKind(
    "matches.contact.commented",
    subject=_("Your supervisor commented on a contact"),
    body=_("%(name)s commented on your contact of %(date)s."),
)

# Monthly hours, to the supporter; each reminder's code ends with its day ("reminder.3").
HOURS_REPORT_OPENED = MessageKind(
    "matches.hours_report.opened",
    subject=_("Your hours for %(month)s"),
    body=_(
        "Hello %(recipient)s, please confirm your hours and contacts for %(month)s. We filled in "
        "what you logged; change it if it is not right: %(link)s"
    ),
)
HOURS_REPORT_REMINDER = MessageKind(
    "matches.hours_report.reminder",
    subject=_("Reminder: your hours for %(month)s"),
    body=HOURS_REPORT_OPENED.body,
)

# A silent match: a nudge to the supporter, then the program's coordinators.
NO_CONTACT_NUDGED = MessageKind(
    "matches.no_contact.nudged",
    subject=_("How are things with %(peer)s?"),
    body=_(
        "Hello %(recipient)s, no contact with %(peer)s has been logged for %(days)s days. "
        "If you have talked, please log it; if you cannot reach them, tell us."
    ),
)
NO_CONTACT_ESCALATED = MessageKind(
    "matches.no_contact.escalated",
    subject=_("No contact on match #%(number)s"),
    body=_(
        "No contact has been logged on match #%(number)s (%(supporter)s) for %(days)s "
        "days, after a nudge. It is in your follow-up queue."
    ),
)
