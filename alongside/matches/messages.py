"""What matches tells people: the kinds of message and their texts.

A kind's code is the start of the idempotency keys these messages had before notify(); the
introductions share one code for that reason, and each has its own wording key.
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from alongside.matches.models import ClosureReason
from alongside.notifications.models import Channel
from alongside.notifications.notify import DayOf, Digest, MessageKind
from alongside.notifications.webhooks.events import WebhookEvent
from alongside.programs.models import Program

TOPIC = _("Matches")
TO_PEER = (Channel.SMS, Channel.EMAIL)  # by text when they asked for it, else by e-mail
TO_REFERRER = (Channel.IN_APP, Channel.EMAIL)
TO_SUPPORTER = (Channel.EMAIL, Channel.IN_APP)
PEER, SUPPORTER, PREVIOUS = "Camille", "Sam Tremblay", "Robin Gagnon"
HOURS_SAMPLE = {"month": "May 2026", "link": "/hours/31/"}

# A new match: to the supporter by e-mail and in the app, and to the peer.
MATCH_INTRODUCED_TO_SUPPORTER = MessageKind(
    "matches.match.introduced",
    subject=_("You have a new match in %(program)s"),
    body=_(
        "Hello %(recipient)s,\n\nYou have been matched with %(peer)s. Sign in to Alongside to see "
        "how they would like to be contacted.\n"
    ),
    name=_("When a match starts"),
    to=_("to the supporter, by e-mail"),
    channels=(Channel.EMAIL,),
    sample={"peer": PEER},
    wording_key="matches.match.introduced.supporter",
)
MATCH_INTRODUCED_IN_APP = MessageKind(
    "matches.match.introduced",
    subject=_("New match"),
    body=_("You have been matched with %(peer)s."),
    name=_("When a match starts"),
    to=_("to the supporter, in the app"),
    channels=(Channel.IN_APP,),
    sample={"peer": PEER},
    wording_key="matches.match.introduced.in_app",
)
MATCH_INTRODUCED_TO_PEER = MessageKind(
    "matches.match.introduced",
    subject=_("We found a peer supporter for you"),
    body=_("Hello %(recipient)s, %(supporter)s from %(program)s will contact you soon."),
    name=_("When a match starts"),
    to=_("to the person supported"),
    channels=TO_PEER,
    sample={"supporter": SUPPORTER},
    wording_key="matches.match.introduced.peer",
)

# The peer's supporter leaves: someone takes over, or the request waits again.
MATCH_HANDED_OVER = MessageKind(
    "matches.match.handed_over",
    subject=_("Your peer supporter is changing"),
    body=_(
        "Hello %(recipient)s, %(previous)s can no longer continue as your peer supporter. "
        "%(supporter)s from %(program)s takes over and will contact you soon."
    ),
    name=_("When another supporter takes over a match"),
    to=_("to the person supported"),
    channels=TO_PEER,
    sample={"supporter": SUPPORTER, "previous": PREVIOUS},
)
MATCH_RETURNED_TO_WAITING_LIST = MessageKind(
    "matches.match.returned_to_waiting_list",
    subject=_("Your peer supporter is changing"),
    body=_(
        "Hello %(recipient)s, %(previous)s can no longer continue as your peer supporter. "
        "%(program)s is finding someone new for you and will be in touch soon."
    ),
    name=_("When a supporter cannot go on and the request waits again"),
    to=_("to the person supported"),
    channels=TO_PEER,
    sample={"previous": PREVIOUS},
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
    name=_("When a referred client is matched, and agreed that the referrer knows with whom"),
    to=_("to the referrer"),
    channels=TO_REFERRER,
    sample={"peer": PEER, "supporter": SUPPORTER},
)
REFERRAL_MATCHED = MessageKind(
    "matches.referral.matched",
    subject=_("Your referral to %(program)s is matched"),
    body=_(
        "Hello %(recipient)s,\n\n%(peer)s, whom you referred to %(program)s, is matched with a "
        "peer support worker.\n"
    ),
    name=_("When a referred client is matched"),
    to=_("to the referrer"),
    channels=TO_REFERRER,
    sample={"peer": PEER},
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
    name=_("When a referred client's support ends, and they agreed to share its summary"),
    to=_("to the referrer"),
    channels=TO_REFERRER,
    sample={
        "peer": PEER,
        "start": DayOf(dt.datetime(2026, 1, 12, 15, 0, tzinfo=dt.UTC)),
        "end": DayOf(dt.datetime(2026, 5, 29, 15, 0, tzinfo=dt.UTC)),
        "weeks": 20,
        "contacts": 14,
        "goals_achieved": 2,
        "goals_total": 3,
        # As the closing writes it: the reason's name, in lower case.
        "reason": lazy(lambda: str(ClosureReason.GOALS_MET.label).lower(), str)(),
    },
)
REFERRAL_ENDED = MessageKind(
    "matches.referral.ended",
    subject=_("Peer support for your referral has ended"),
    body=_(
        "Hello %(recipient)s,\n\nThe peer support you referred %(peer)s to in %(program)s has "
        "ended.\n"
    ),
    name=_("When a referred client's support ends"),
    to=_("to the referrer"),
    channels=TO_REFERRER,
    sample={"peer": PEER},
)

# To whoever logged the contact.
CONTACT_COMMENTED = MessageKind(
    "matches.contact.commented",
    subject=_("Your supervisor commented on a contact"),
    body=_("%(name)s commented on your contact of %(date)s."),
    name=_("When a supervisor comments on a contact"),
    to=_("to whoever logged the contact"),
    channels=(Channel.IN_APP,),
    sample={"name": "Alex Martin", "date": DayOf(dt.datetime(2026, 6, 2, 18, 0, tzinfo=dt.UTC))},
)

# Monthly hours, to the supporter; each reminder's code ends with its day ("reminder.3").
HOURS_REPORT_OPENED = MessageKind(
    "matches.hours_report.opened",
    subject=_("Your hours for %(month)s"),
    body=_(
        "Hello %(recipient)s, please confirm your hours and contacts for %(month)s. We filled in "
        "what you logged; change it if it is not right: %(link)s"
    ),
    name=_("When a month's hours are ready to confirm"),
    to=_("to the supporter"),
    channels=TO_SUPPORTER,
    sample=HOURS_SAMPLE,
)
HOURS_REPORT_REMINDER = MessageKind(
    "matches.hours_report.reminder",
    subject=_("Reminder: your hours for %(month)s"),
    body=HOURS_REPORT_OPENED.body,
    name=_("When a month's hours are still not confirmed"),
    to=_("to the supporter"),
    channels=TO_SUPPORTER,
    sample=HOURS_SAMPLE,
    # Each reminder's code ends with its day; one wording serves them all.
    wording_key="matches.hours_report.reminder",
)

# A silent match: a nudge to the supporter, then the program's coordinators.
NO_CONTACT_NUDGED = MessageKind(
    "matches.no_contact.nudged",
    subject=_("How are things with %(peer)s?"),
    body=_(
        "Hello %(recipient)s, no contact with %(peer)s has been logged for %(days)s days. "
        "If you have talked, please log it; if you cannot reach them, tell us."
    ),
    name=_("When no contact has been logged for a while"),
    to=_("to the supporter"),
    channels=TO_SUPPORTER,
    sample={"peer": PEER, "days": 14},
)


def _follow_up(_program: Program) -> str:
    return reverse("matches:follow_up_silent")


# In place of one message a match when a run finds many silent (ADR 0007), to each coordinator.
NO_CONTACT_DIGEST = MessageKind(
    "matches.no_contact.escalated",
    subject=_("No contact on %(count)s matches"),
    body=_(
        "No contact has been logged on %(count)s matches in %(program)s, even after a nudge: "
        "%(items)s. They are in your follow-up queue: %(link)s"
    ),
    name=_("When no contact has been logged on many matches at once"),
    to=_("to each of the program's coordinators, in place of a message a match"),
    channels=(Channel.IN_APP,),
    sample={
        "count": 14,
        "items": f"#57 ({SUPPORTER}), #58 (Robin Gagnon), #61 (Alex Martin) and 11 more",
        "link": f"{settings.SITE_URL}/follow-up/no-contact/",
    },
    wording_key="matches.no_contact.escalated.digest",
)
NO_CONTACT_ESCALATED = MessageKind(
    "matches.no_contact.escalated",
    subject=_("No contact on match #%(number)s"),
    body=_(
        "No contact has been logged on match #%(number)s (%(supporter)s) for %(days)s "
        "days, after a nudge. It is in your follow-up queue."
    ),
    name=_("When no contact has been logged even after a reminder"),
    to=_("to the program's coordinators"),
    channels=(Channel.IN_APP,),
    sample={"number": 57, "supporter": SUPPORTER, "days": 21},
    digest=Digest(NO_CONTACT_DIGEST, label=_("#%(number)s (%(supporter)s)"), link_to=_follow_up),
)

# What a program's partners' systems may be told (webhooks): ids only.
MATCH_STARTED_EVENT = WebhookEvent(
    "matches.match.started", name=_("A match starts"), ids=("match", "request")
)
MATCH_CLOSED_EVENT = WebhookEvent(
    "matches.match.closed", name=_("A match closes"), ids=("match", "request")
)
