"""What outcomes tells people: the kinds of message and their texts."""

from django.utils.translation import gettext_lazy as _

from alongside.notifications.notify import MessageKind

SURVEY_SENT = MessageKind(
    "outcomes.survey.sent",
    subject=_("A few questions from %(program)s"),
    body=_(
        "Hello %(recipient)s, would you answer a few short questions? It takes two minutes and "
        "helps us improve: %(link)s"
    ),
)
