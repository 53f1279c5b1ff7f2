"""What a person reads or hears on a page, and which of it is neither translated nor data.

A page's text is its text nodes (outside scripts, styles and code) and the attributes a browser
shows or a screen reader reads out, in the page's language: a part marked with another `lang`
is declared to be in that language. Rendered in the pseudo locale (tests/pseudo_locale.py), a
word from the catalogues is written in marked letters; every other word must be data: a value
the test's world holds (names, notes, addresses... read from the database after it is built, and
the message previews' sample details), a number, a date's digits, a web address, a reference, a
single letter, or one of the few words `_allowed()` names with the reason. A stored value that
is also a catalogue's English (a default step's name, "interview") counts as data: it is
program content, in its program's languages.
"""

import datetime as dt
import re
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models

from alongside.notifications.wording.kinds import all_kinds
from alongside.notifications.wording.texts import SAMPLE_RECIPIENT
from tests.pseudo_locale import MARKED_LETTERS

# Attributes a browser shows (title, placeholder, alt) or a screen reader reads out (aria-*).
READ_OUT = ("title", "aria-label", "aria-description", "aria-roledescription", "placeholder", "alt")
# Confirmation prompts htmx shows before it sends.
SHOWN_BY_HTMX = ("hx-confirm", "hx-prompt")
BUTTON_INPUTS = {"submit", "button", "reset"}
# Not read (scripts and styles), or computer code (a job's name, a message's kind, a setup
# key), the same in every language.
NOT_READ = {"script", "style", "code"}
# Elements that have no end tag.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# What may surround a word without being a word: punctuation, brackets, the pseudo brackets.
_AROUND = " \t\n.,;:!?¿¡()[]{}<>\"'«»“”\u2018\u2019·•\u2013—-/\\|…#*+=~^_⟦⟧"
_MARKED_RUN = re.compile(f"[{''.join(sorted(MARKED_LETTERS))}]+")
_WEB_ADDRESS = re.compile(r"(?:https?://|/)\S*")
# A reference made of a record's identifier (a referral's "C57487DC"): capital hex with a digit.
_REFERENCE = re.compile(r"(?=[A-F]*[0-9])[0-9A-F]{6,}")
# An audit event's action code ("matches.contact.logged"): computer code, the same in every
# language, which the audit log's filter offers as an option (where no <code> can hold it).
_ACTION_CODE = re.compile(r"[a-z_]+(?:\.[a-z_]+){2,}")
# Models whose text is Django's bookkeeping, never shown as data.
NOT_DATA = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}
# A code kept in a JSON field (a choice's value, a rule's kind): shown through its label, not data.
_CODE = re.compile(r"[a-z0-9_]+")


def _allowed() -> dict[str, str]:
    """Words that are neither translated nor data, each with the reason it stays as it is."""
    allowed = {"Alongside": "the product's name"}
    for _code, name in settings.LANGUAGES:
        allowed[name] = "a language's own name, written in that language for its speakers"
    return allowed


@dataclass(frozen=True)
class Text:
    """One piece of a page's text: where it is (a text node, or a tag's attribute) and what."""

    where: str
    text: str


class PageText(HTMLParser):
    """The text of a page a person reads or hears, piece by piece, in the page's language.

    A part the page marks as written in another language (`lang`, as WCAG asks for a language
    of parts: a message's French wording on an English page, a language's own name) is left out.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[Text] = []
        self._open: list[tuple[str, str]] = []  # (tag, language) of each element still open
        self._page_language = ""

    @property
    def _language(self) -> str:
        return self._open[-1][1] if self._open else self._page_language

    def _is_read(self) -> bool:
        in_page_language = self._language.lower() == self._page_language.lower()
        return in_page_language and not any(tag in NOT_READ for tag, _ in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "html":
            self._page_language = attributes.get("lang", "")
        language = attributes.get("lang", self._language)
        if tag not in VOID:
            self._open.append((tag, language))
        if language.lower() != self._page_language.lower() or not self._is_read():
            return
        for name in (*READ_OUT, *SHOWN_BY_HTMX):
            if attributes.get(name):
                self.texts.append(Text(f"<{tag} {name}>", attributes[name]))
        if tag == "input" and attributes.get("type") in BUTTON_INPUTS and attributes.get("value"):
            self.texts.append(Text(f"<{tag} value>", attributes["value"]))

    def handle_endtag(self, tag: str) -> None:
        # An element left open inside this one (a <p> HTML closes by itself) closes with it.
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return

    def handle_data(self, data: str) -> None:
        if data.strip() and self._is_read():
            where = self._open[-1][0] if self._open else ""
            self.texts.append(Text(f"<{where}>", data))


def texts_of(page: str) -> list[Text]:
    parser = PageText()
    parser.feed(page)
    parser.close()
    return parser.texts


def normalized(text: str) -> str:
    return " ".join(text.split()).strip(_AROUND).casefold()


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings_in(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from _strings_in(inner)


def _holds_text(field: models.Field[Any, Any]) -> bool:
    return isinstance(field, models.CharField | models.TextField | models.JSONField)


@dataclass(frozen=True)
class Stored:
    """A text the database holds, and whether it is data: not a choice's value, nor a code
    kept in a JSON field."""

    text: str
    is_data: bool


def stored_strings() -> Iterator[Stored]:
    """Every text the database holds."""
    for model in apps.get_models():
        if model._meta.label_lower in NOT_DATA or model._meta.proxy:
            continue
        fields = [field for field in model._meta.concrete_fields if _holds_text(field)]
        if not fields:
            continue
        for row in model._base_manager.values_list(*(field.name for field in fields)):
            for field, value in zip(fields, row, strict=True):
                is_json = isinstance(field, models.JSONField)
                for text in _strings_in(value):
                    is_code = bool(field.choices) or (is_json and bool(_CODE.fullmatch(text)))
                    yield Stored(text, not is_code)


def sample_strings() -> Iterator[Stored]:
    """The sample details the message wording pages fill their previews with: data too."""
    yield Stored(SAMPLE_RECIPIENT, is_data=True)
    for kind in all_kinds():
        for value in (kind.sample or {}).values():
            if isinstance(value, str):  # not a lazy text: that one is translated
                yield Stored(value, is_data=True)


def _zone_names(zones: Iterable[str]) -> Iterator[str]:
    """The abbreviations a zone's times are shown with, in winter and in summer."""
    this_year = dt.datetime.now(dt.UTC).year
    for name in zones:
        zone = zoneinfo.ZoneInfo(name)
        for month in (1, 7):
            yield dt.datetime(this_year, month, 1, 12, tzinfo=zone).tzname() or ""


@dataclass
class Data:
    """The strings of the test's world that a page may show as they are."""

    values: set[str]
    first_words: set[str]
    longest: int  # in words

    @classmethod
    def of(cls, stored: Iterable[Stored]) -> "Data":
        """The data of the stored texts, with the world's time zones: their names (as a picker
        lists them, by the tz database's name) and the abbreviations of those in use."""
        values: set[str] = set()
        zones = {name for name in zoneinfo.available_timezones() if "/" in name}
        in_use = {settings.TIME_ZONE}
        for string in stored:
            if string.text in zones:
                in_use.add(string.text)
            if string.is_data:
                pieces = [string.text, *string.text.splitlines()]
                values.update(piece for piece in map(normalized, pieces) if piece)
        values.update(normalized(name) for zone in zones for name in (zone, zone.replace("_", " ")))
        values.update(normalized(name) for name in _zone_names(in_use))
        first_words = {normalized(value.split()[0]) for value in values}
        longest = max(len(value.split()) for value in values)
        return cls(values, first_words, longest)

    def holds(self, words: list[str]) -> bool:
        return normalized(" ".join(words)) in self.values


def _is_a_word(token: str) -> bool:
    return any(character.isalpha() for character in token)


def outside_the_catalogue(text: str, data: Data, allowed: dict[str, str]) -> list[str]:
    """The words of a text that are neither translated (marked letters) nor data."""
    words = _MARKED_RUN.sub(" ", text).split()
    if not any(_is_a_word(word) for word in words):
        return []
    # reached[j]: the first j words are each translated, data, or between them.
    reached = [True] + [False] * len(words)
    for end in range(1, len(words) + 1):
        last = words[end - 1]
        if reached[end - 1] and _stands_alone(last, allowed):
            reached[end] = True
            continue
        for start in range(end - 1, max(-1, end - 1 - data.longest), -1):
            starts_data = reached[start] and normalized(words[start]) in data.first_words
            if starts_data and data.holds(words[start:end]):
                reached[end] = True
                break
    if reached[-1]:
        return []
    stuck = max(index for index, ok in enumerate(reached) if ok)
    return words[stuck:]


def _stands_alone(word: str, allowed: dict[str, str]) -> bool:
    """A word that needs no translation: no letters, a single letter (a group's, a section's
    name), a web address, a reference, an audit action's code, or one of the allowed."""
    bare = word.strip(_AROUND)
    return (
        not _is_a_word(bare)
        or len(bare) == 1
        or bool(
            _WEB_ADDRESS.fullmatch(bare)
            or _REFERENCE.fullmatch(bare)
            or _ACTION_CODE.fullmatch(bare)
        )
        or bare in allowed
    )


def untranslated_on(page: str, data: Data) -> list[str]:
    """Each piece of a page's text with words outside the catalogue, and those words."""
    allowed = _allowed()
    found = []
    for piece in texts_of(page):
        if piece.text.strip() in allowed:
            continue
        stray = outside_the_catalogue(piece.text, data, allowed)
        if stray:
            found.append(f"{piece.where}: {' '.join(piece.text.split())!r} ({' '.join(stray)})")
    return found
