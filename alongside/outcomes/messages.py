"""What outcomes tells people: the kinds of message and their texts."""

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel
from alongside.notifications.notify import MessageKind

TOPIC = _("Surveys")

SURVEY_SENT = MessageKind(
    "outcomes.survey.sent",
    subject=_("A few questions from %(program)s"),
    body=_(
        "Hello %(recipient)s, would you answer a few short questions? It takes two minutes and "
        "helps us improve: %(link)s"
    ),
    name=_("When a survey is due"),
    to=_("to the person supported"),
    channels=(Channel.SMS, Channel.EMAIL),
    sample={"link": f"{settings.SITE_URL}/survey/7Hq2xZ/"},
)
