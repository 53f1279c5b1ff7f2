"""The words of consent that every app taking it shares with the app keeping it (ADR 0008).

A form asks a consent question (`Wording`: which question, for which purpose, in which words);
a person who says yes gives an `Agreement`: the purpose, and the words exactly as they were
shown, in the language they were shown in. The app that took it hands the agreements to
`privacy` through its hooks, in the transaction of what they cover; `privacy` keeps each one as
a record, with a new version of the text whenever the words change, and answers where a
purpose stands (`Standing`) for the work that depends on it (surveys, a referrer's updates).

Like audit events, consent is handed over by every domain, so its vocabulary sits here, below
them all; what each question says is its own app's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise


class Purpose(models.TextChoices):
    """What a person may agree to."""

    SUPPORT = "support", _("Support")
    REFERRER = "referrer", _("Sharing with the referrer")
    SURVEYS = "surveys", _("Surveys")
    RESEARCH = "research", _("Research")
    APPLICATION = "application", _("Their application to be a supporter")


class GivenHow(models.TextChoices):
    """How a consent was given."""

    ONLINE_FORM = "online_form", _("Online form")
    PHONE = "phone", _("By phone with a coordinator")
    IN_PERSON = "in_person", _("In person")
    WRITING = "writing", _("In writing: e-mail, text message or letter")
    REFERRER = "referrer", _("By a referrer, on the person's behalf")


# The ways a person gives a coordinator a consent after their request was taken; the coordinator
# reads them the words the phone intake asks (`GivenHow.PHONE`), however they answer.
GIVEN_TO_A_COORDINATOR = (GivenHow.PHONE, GivenHow.IN_PERSON, GivenHow.WRITING)


class Standing(models.TextChoices):
    """Where a person's consent to one purpose stands now."""

    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_GIVEN = "not_given", _("Not given")


@dataclass(frozen=True)
class Agreement:
    """One thing a person agreed to, in the words they were shown."""

    purpose: Purpose
    wording: str  # the question's key: the same question in new words is a new version of it
    text: str
    language: str


@dataclass(frozen=True)
class Wording:
    """One consent question as a form asks it: its key (kept when its words change), its
    purpose, and its words (what is read out first, the box's label, its help)."""

    key: str
    purpose: Purpose
    label: StrOrPromise
    help_text: StrOrPromise = ""
    read_first: StrOrPromise = ""

    @property
    def field_name(self) -> str:
        """The name of its box on a form that asks it beside the main consent."""
        return f"consent_{self.purpose}"

    def text(self) -> str:
        """Its words in the language active now, as the form shows them."""
        parts = (self.read_first, self.label, self.help_text)
        return "\n".join(str(part) for part in parts if str(part))

    def agreed(self) -> Agreement:
        """What a person who says yes to it now agrees to."""
        return Agreement(
            purpose=self.purpose,
            wording=self.key,
            text=self.text(),
            language=get_language() or settings.LANGUAGE_CODE,
        )
