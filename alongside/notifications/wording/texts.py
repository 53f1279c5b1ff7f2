"""A kind's texts as its wording page shows them: the default in each language, the placeholders
a program's wording may use, what is wrong with a wording, and a preview with sample details.

A program's wording is a template with placeholders in double braces, `{{ recipient }}`, filled
as notify() fills it (MessageTemplate.render); the default texts use `%(recipient)s`, which the
page shows in the same double braces, so a coordinator starts from the default.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.template import Template, TemplateSyntaxError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alongside.core.errors import DomainError
from alongside.notifications.models import Channel, MessageTemplate
from alongside.notifications.notify import (
    Contact,
    MessageKind,
    Text,
    as_read,
    render,
    zone_of,
)
from alongside.notifications.sms import parts_of

if TYPE_CHECKING:
    from alongside.programs.models import Program

# The name of the person a preview is written to.
SAMPLE_RECIPIENT = "Camille"
# A program's name in a preview of the wording for every program.
SAMPLE_PROGRAM = gettext_lazy("Peer Support Program")
# Filled in for every kind: who reads it and the program, then (after the kind's own values)
# the default wording itself.
ALWAYS = ("recipient", "program", "subject", "body")

DEFAULT_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
PLACEHOLDER = re.compile(r"{{(.*?)}}", re.DOTALL)
TAG = re.compile(r"{%|%}|{#|#}")


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str

    def as_typed(self) -> "Wording":
        """As a form sends it back: line endings made plain, no blank lines around it."""
        body = self.body.replace("\r\n", "\n").replace("\r", "\n")
        return Wording(subject=self.subject.strip(), body=body.strip())


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str  # what it stands for, or an example of it

    @property
    def written(self) -> str:
        return written(self.name)


@dataclass(frozen=True)
class Preview:
    subject: str
    body: str
    text_parts: int  # how many parts it goes in by text message; 0 when it never goes by text
    text_length: int


class WordingError(DomainError):
    """What is wrong with a wording, by field ("subject", "body"), in sentences for people."""

    def __init__(self, problems: Mapping[str, list[str]]) -> None:
        super().__init__(next(iter(problems.values()))[0])
        self.problems = dict(problems)


def written(name: str) -> str:
    """A placeholder as a wording writes it: {{ name }}."""
    return "{{ " + name + " }}"


def catalogue_language(language: str) -> str:
    """The installation's language that a program's reads its defaults in: its French ("fr")
    is Canadian French ("fr-ca"), the catalogue Alongside ships, as people's accounts say."""
    try:
        return translation.get_supported_language_variant(language)
    except LookupError:
        return language  # no catalogue of ours: the defaults are in English


def ships_defaults_in(language: str) -> bool:
    """Whether Alongside's catalogue has the default texts in this language (else English)."""
    try:
        translation.get_supported_language_variant(language)
    except LookupError:
        return False
    return True


def default_wording(kind: MessageKind, language: str) -> Wording:
    """The kind's own texts in the language, written as a program's wording would say them."""
    with translation.override(catalogue_language(language)):
        return Wording(
            subject=_as_template(kind.subject, "subject"), body=_as_template(kind.body, "body")
        )


def written_from_details(kind: MessageKind) -> bool:
    """Whether the default text changes with the details of each message (not one template)."""
    return callable(kind.subject) or callable(kind.body)


def placeholders(kind: MessageKind, *, program: "Program | None") -> list[Placeholder]:
    """The placeholders a wording of the kind may use, each with its meaning or an example, in
    the language in force."""
    zone = zone_of(Contact(), program)
    with timezone.override(zone):
        examples = [
            Placeholder(name, _("for example: %(value)s") % {"value": as_read(value)})
            for name, value in (kind.sample or {}).items()
            if _reads_as_text(value)
        ]
    return [
        Placeholder("recipient", _("the name of the person it goes to")),
        Placeholder("program", _("the program's name")),
        *examples,
        Placeholder("subject", _("the default subject, in the reader's language")),
        Placeholder("body", _("the default text, in the reader's language")),
    ]


def placeholder_names(kind: MessageKind) -> list[str]:
    sample = kind.sample or {}
    given = [name for name, value in sample.items() if _reads_as_text(value)]
    return [*ALWAYS[:2], *given, *ALWAYS[2:]]


def check_wording(kind: MessageKind, wording: Wording) -> None:
    """Raises WordingError when the wording cannot be sent as it is."""
    allowed = placeholder_names(kind)
    problems = {
        field: found
        for field, text in (("subject", wording.subject), ("body", wording.body))
        if (found := _problems_in(field, text, allowed))
    }
    if problems:
        raise WordingError(problems)


def preview(
    kind: MessageKind, *, program: "Program | None", language: str, wording: Wording | None
) -> Preview:
    """The kind as someone reading `language` would get it, with its sample details: in the
    wording given, else in its default."""
    templates = {}
    if wording is not None:
        template = MessageTemplate(subject=wording.subject, body=wording.body, language=language)
        templates[language] = template
    context: dict[str, Any] = dict(kind.sample or {})
    if program is None:
        context["program"] = SAMPLE_PROGRAM
    contact = Contact(name=SAMPLE_RECIPIENT, language=catalogue_language(language))
    subject, body = render(kind, contact, context, program=program, templates=templates)
    by_text = Channel.SMS in kind.channels
    return Preview(
        subject=subject,
        body=body,
        text_parts=parts_of(body) if by_text else 0,
        text_length=len(body),
    )


def _as_template(text: Text, name: str) -> str:
    if callable(text):
        return written(name)  # written from the details: the wording keeps it whole
    return DEFAULT_PLACEHOLDER.sub(r"{{ \1 }}", str(text)).replace("%%", "%")


def _reads_as_text(value: object) -> bool:
    """A value a wording can show as it is: not a list or a yes/no, which the default words."""
    return not isinstance(value, bool | list | tuple | set | dict)


def _problems_in(field: str, text: str, allowed: list[str]) -> list[str]:
    if not text.strip():
        if field == "subject":
            return [_("Write a subject. {{ subject }} keeps the default one.")]
        return [_("Write the text of the message. {{ body }} keeps the default one.")]
    problems = []
    if field == "subject" and "\n" in text.strip():
        problems.append(_("Keep the subject on one line."))
    if TAG.search(text):
        problems.append(_("Only placeholders can be used here, written like {{ recipient }}."))
    problems.extend(_placeholder_problems(text, allowed))
    for written in sorted(set(DEFAULT_PLACEHOLDER.findall(text))):
        problems.append(
            _("“%(old)s” would be sent as it is: write {{ %(name)s }}.")
            % {"old": f"%({written})s", "name": written}
        )
    if not problems:
        try:
            Template(text)
        except TemplateSyntaxError as error:
            problems.append(_("This wording cannot be used: %(error)s") % {"error": error})
    return problems


def _placeholder_problems(text: str, allowed: list[str]) -> list[str]:
    problems = []
    for inner in dict.fromkeys(match.strip() for match in PLACEHOLDER.findall(text)):
        shown = written(inner)
        if not inner.isidentifier():
            problems.append(
                _(
                    "“%(placeholder)s” cannot be used: a placeholder is one name in double "
                    "braces, like {{ recipient }}."
                )
                % {"placeholder": shown}
            )
        elif inner not in allowed:
            problems.append(
                _("“%(placeholder)s” is not a placeholder of this message. It can use: %(names)s.")
                % {"placeholder": shown, "names": ", ".join(map(written, allowed))}
            )
    left = PLACEHOLDER.sub("", text)
    if "{{" in left or "}}" in left:
        problems.append(
            _("A placeholder is not closed: write it as {{ name }}, with two braces on each side.")
        )
    return problems
