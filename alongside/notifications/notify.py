"""notify(): the one way every app tells people something.

Each app names the kinds of message it sends, and their texts, in its own `messages.py`; a
kind's code is the audit code of the event behind it ("intake.request.received"). notify()
renders each message for its recipient, in their language and time zone, at the moment it is
queued, applies a program's own wording when it has one, and queues every message at once.
notify_all() does the same for many notices at once, in a few queries. Within a periodic run,
the messages of a kind that has a digest are held and told at the run's end, one by one when they
are few, else as one digest for each recipient (`digests.py`, ADR 0007).
"""

import datetime as dt
import enum
import logging
import zoneinfo
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.functional import Promise

from alongside.accounts.languages import site_language
from alongside.accounts.models import User
from alongside.accounts.queries import time_zone_of
from alongside.notifications.keys import messages_with_keys, recorded_keys
from alongside.notifications.models import Channel, MessageTemplate, OutboxMessage
from alongside.notifications.services import queue_messages, templates_for

if TYPE_CHECKING:
    from alongside.programs.models import Program

logger = logging.getLogger(__name__)

# A text is a gettext-marked template filled with %(name)s from the context, or a small
# function of the context for what a template cannot say.
Text = str | Promise | Callable[[Mapping[str, Any]], str]


@dataclass(frozen=True)
class MessageKind:
    """One kind of message an app sends: its code (the event's audit code) and its texts.

    Templates are filled with the caller's context plus `recipient` (the recipient's name)
    and `program` (the program's name); a datetime in the context is shown in the recipient's
    time zone with its abbreviation, as "2025-06-03 18:00 EDT", a date as "3 June 2025" in
    their language, and `DayOf(moment)` as the day the moment falls on in their zone. Pass
    datetimes, never times already written out: only notify() knows each reader's zone.
    An urgent kind stands out in the inbox and stays at its top until acknowledged.

    The rest describe it on the wording pages, where a program's coordinators word it their
    way: `name` says when it is sent ("When someone asks for support"), `to` who receives it,
    `channels` how (as its senders pass them), and `sample` is a realistic context for its
    preview, with every value its senders pass (the placeholders a program's wording may use).
    Kinds that share an event's code are told apart by their `wording_key`.
    """

    code: str
    subject: Text
    body: Text
    urgent: bool = False
    name: str | Promise = ""
    to: str | Promise = ""
    channels: tuple[Channel, ...] = ()
    sample: Mapping[str, Any] | None = field(default=None, compare=False)
    wording_key: str = ""
    # How many of these to one coordinator in one periodic run are told as one (ADR 0007).
    digest: "Digest | None" = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.urgent and self.digest is not None:
            raise ValueError(f"{self.key}: an urgent message is always told on its own.")

    @property
    def key(self) -> str:
        """The key of the kind's wording (MessageTemplate.key): its own, else its code."""
        return self.wording_key or self.code


@dataclass(frozen=True)
class Digest:
    """How a periodic run tells a coordinator of many messages of one kind at once (ADR 0007).

    `kind` is the digest's own kind, filled with `count` (how many), `items` (the first few
    named by `label`, a template filled from each message's context, and how many more) and
    `link` (the address of the program's list of them, whose path `link_to` gives).
    """

    kind: MessageKind
    label: str | Promise
    link_to: "Callable[[Program], str]"


@dataclass(frozen=True)
class Contact:
    """Someone to tell: a user, or a person without an account (a peer) by their addresses.

    Only the addresses given are used: leave out the e-mail of a peer who asked to be texted.
    """

    user: User | None = None
    email: str = ""
    phone: str = ""
    language: str = ""
    time_zone: str = ""
    name: str = ""

    @classmethod
    def of(cls, user: User, *, phone: str = "") -> "Contact":
        """A user with their own e-mail, language and time zone (and a phone, when known)."""
        return cls(
            user=user,
            email=user.email,
            phone=phone,
            language=user.language,
            time_zone=user.time_zone,
            name=user.display_name,
        )

    def address_for(self, channel: Channel) -> str | None:
        """Where this channel reaches them; None when it cannot."""
        if channel == Channel.IN_APP:
            return self.email if self.user is not None else None
        return (self.phone if channel == Channel.SMS else self.email) or None


@dataclass(frozen=True)
class DayOf:
    """The day a moment falls on in the reader's time zone, shown as a date ("3 June 2025"):
    for a message that names a day (a match's first, a contact's) rather than a time."""

    moment: dt.datetime


class KeyPart(enum.Enum):
    """Parts of an idempotency key that notify() fills in for each message."""

    RECIPIENT = "recipient"  # the recipient's user id
    CHANNEL = "channel"  # "email", "sms" or "in_app"


RECIPIENT = KeyPart.RECIPIENT
CHANNEL = KeyPart.CHANNEL


@dataclass(frozen=True)
class Notice:
    """What one notify() call queues, to queue with many others at once by notify_all()."""

    kind: MessageKind
    recipients: Sequence[User | Contact]
    context: Mapping[str, Any]
    idempotency_key: Sequence[object]
    channels: Sequence[Channel] = (Channel.EMAIL,)
    program: "Program | None" = None
    link: str = ""


def notify(
    *,
    kind: MessageKind,
    recipients: Iterable[User | Contact],
    context: Mapping[str, Any],
    idempotency_key: Sequence[object],
    channels: Sequence[Channel] = (Channel.EMAIL,),
    program: "Program | None" = None,
    link: str = "",
) -> list[OutboxMessage]:
    """Queue the kind of message to each recipient on each channel they can be reached by.

    `link` is the path of the page the message is about ("/escalations/4/"), one every
    recipient may open: the inbox links to it.

    `idempotency_key` is joined with ":" after RECIPIENT and CHANNEL are filled in; a message
    whose key was queued before is not queued again. A recipient without an address for a
    channel is not told on it. Returns the messages, in the caller's transaction; each is
    delivered after commit. Raises ValueError when the key does not tell two messages apart.
    """
    notice = Notice(
        kind=kind,
        recipients=list(recipients),
        context=context,
        idempotency_key=idempotency_key,
        channels=channels,
        program=program,
        link=link,
    )
    return notify_all([notice])


def notify_all(notices: Iterable[Notice]) -> list[OutboxMessage]:
    """Queue many notices in a few queries, each message as notify() would queue it alone.

    For work that tells many people at once (a periodic job's batch): each message is still
    rendered in its recipient's language and time zone and keyed for idempotency; one whose
    key is recorded already is not even rendered again. The outbox records the new ones in
    bulk and hands their delivery to the worker in batches.

    Within a periodic run (`digests.collecting`), the messages of a kind with a digest are
    checked and held for the run's end, and not returned.
    """
    planned = [each for notice in notices for each in plan(notice)]
    held = HELD_FOR_DIGEST.get()
    if held is not None:
        held.extend(each for each in planned if each.notice.kind.digest is not None)
        planned = [each for each in planned if each.notice.kind.digest is None]
    return queue_planned(planned)


def queue_planned(planned: Sequence["Planned"]) -> list[OutboxMessage]:
    """Render and queue the planned messages whose keys are new; all of them, as queued."""
    if not planned:
        return []
    keys = [each.key for each in planned]
    known = recorded_keys(keys)
    templates: dict[tuple[str, int | None], dict[str, MessageTemplate]] = {}
    messages: list[OutboxMessage] = []
    for each in planned:
        if each.key in known:
            continue
        kind, program = each.notice.kind, each.notice.program
        wording = (kind.key, program.pk if program is not None else None)
        if wording not in templates:
            templates[wording] = templates_for(kind=kind.key, program=program)
        messages.append(_message(each, templates[wording]))
    queued = {
        message.idempotency_key: message
        for message in (queue_messages(messages) if messages else [])
    }
    queued.update({message.idempotency_key: message for message in messages_with_keys(known)})
    return [queued[key] for key in keys]


@dataclass(frozen=True)
class Planned:
    """One message a notice asks for, before it is written."""

    notice: Notice
    contact: Contact
    channel: Channel
    address: str
    key: str


# The messages a periodic run holds for its digests (digests.collecting); None outside a run.
HELD_FOR_DIGEST: ContextVar[list[Planned] | None] = ContextVar("held_for_digest", default=None)


def plan(notice: Notice) -> list[Planned]:
    """The messages a notice asks for, checked (its context, link and keys), not yet written."""
    kind, link = notice.kind, notice.link
    contacts = [
        recipient if isinstance(recipient, Contact) else Contact.of(recipient)
        for recipient in notice.recipients
    ]
    _check_context(kind, notice.context)
    planned = [
        Planned(notice, contact, channel, address, _key(notice.idempotency_key, contact, channel))
        for contact in contacts
        for channel in notice.channels
        if (address := contact.address_for(channel)) is not None
    ]
    if link and not (link.startswith("/") and not link.startswith("//")):
        raise ValueError(f"The link {link!r} is not a path on this site.")
    keys = [each.key for each in planned]
    if len(set(keys)) != len(keys):
        raise ValueError(f"The idempotency key {notice.idempotency_key!r} repeats for {kind.code}.")
    return planned


def language_of(contact: Contact, program: "Program | None") -> str:
    """The recipient's language, else the program's first the site speaks, else the
    installation's; as the site writes it ("fr", as a request records French, is "fr-ca")."""
    program_languages = list(program.languages) if program is not None else []
    for code in (contact.language, *program_languages):
        language = site_language(code)
        if language:
            return language
    return settings.LANGUAGE_CODE


def zone_of(contact: Contact, program: "Program | None") -> zoneinfo.ZoneInfo:
    """The recipient's time zone, else the program's, else (for a message about no program)
    their own first program's, as their pages show; else the installation's."""
    name = contact.time_zone or (program.time_zone if program is not None else "")
    if not name and contact.user is not None:
        name = time_zone_of(contact.user)
    return zoneinfo.ZoneInfo(name or settings.TIME_ZONE)


def render(
    kind: MessageKind,
    contact: Contact,
    context: Mapping[str, Any],
    *,
    program: "Program | None",
    templates: Mapping[str, MessageTemplate],
) -> tuple[str, str]:
    """The subject and body this recipient reads, in their language and time zone."""
    language = language_of(contact, program)
    with translation.override(language), timezone.override(zone_of(contact, program)):
        filled: dict[str, Any] = {
            # The program's name as written in the recipient's language, else its first.
            "program": str(program.in_language("name", language)) if program is not None else "",
            **context,
            "recipient": contact.name,
        }
        values = {name: _shown(value) for name, value in filled.items()}
        texts = {name: _as_text(value) for name, value in values.items()}
        subject, body = _fill(kind.subject, values, texts), _fill(kind.body, values, texts)
        template = templates.get(language.split("-")[0].lower())
        if template is not None:
            subject, body = template.render({**texts, "subject": subject, "body": body})
    return subject, body


def _message(planned: Planned, templates: Mapping[str, MessageTemplate]) -> OutboxMessage:
    notice, contact = planned.notice, planned.contact
    subject, body = render(
        notice.kind, contact, notice.context, program=notice.program, templates=templates
    )
    return OutboxMessage(
        kind=notice.kind.code,
        channel=planned.channel,
        to_address=planned.address,
        subject=subject,
        body=body,
        idempotency_key=planned.key,
        program=notice.program,
        recipient=contact.user,
        link=notice.link,
        urgent=notice.kind.urgent,
    )


def _check_context(kind: MessageKind, context: Mapping[str, Any]) -> None:
    """Every value a sender passes is in the kind's sample, so its wording page offers it."""
    if kind.sample is None:
        return
    undeclared = sorted(set(context) - set(kind.sample))
    if not undeclared:
        return
    problem = f"{kind.code}: the sample leaves out {', '.join(undeclared)}."
    if settings.TESTING:
        raise ValueError(problem)
    logger.warning(problem)  # the message still goes: only its wording page is short of it


def _key(parts: Sequence[object], contact: Contact, channel: Channel) -> str:
    def filled(part: object) -> str:
        if part is RECIPIENT:
            if contact.user is None:
                raise ValueError("Only a user can be named in an idempotency key.")
            return str(contact.user.pk)
        return str(channel) if part is CHANNEL else str(part)

    return ":".join(filled(part) for part in parts)


def as_read(value: object) -> object:
    """A context value as a program's wording reads it, in the language and zone in force:
    a time with its zone's abbreviation, a date written out, lazy text translated."""
    return _as_text(_shown(value))


def _shown(value: object) -> object:
    """A context value as the recipient reads it: times in their zone, lazy text translated."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    if isinstance(value, DayOf):
        return timezone.localdate(value.moment)
    if isinstance(value, Promise):
        return str(value)
    return value


def _as_text(value: object) -> object:
    if isinstance(value, dt.datetime):
        # With the zone's abbreviation: the reader may be away, or reading about another zone.
        return f"{value:%Y-%m-%d %H:%M %Z}".rstrip()
    if isinstance(value, dt.date):
        return formats.date_format(value, "j F Y")  # "3 June 2025", in the reader's language
    return value


def _fill(text: Text, values: Mapping[str, Any], texts: Mapping[str, object]) -> str:
    """A function gets the values themselves; a template, the values as text."""
    return text(values) if callable(text) else str(text) % texts
