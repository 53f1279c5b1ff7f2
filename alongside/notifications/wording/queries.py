"""Reads for the wording pages: the languages of a program, and which wording each kind uses."""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alongside.notifications.models import Channel, MessageTemplate
from alongside.notifications.notify import MessageKind
from alongside.notifications.wording.kinds import Topic, topics
from alongside.notifications.wording.texts import Wording, default_wording, ships_defaults_in
from alongside.programs.models import Language, Program


@dataclass(frozen=True)
class WordingLanguage:
    code: str  # as MessageTemplate.language: "fr"
    label: str


class Source(enum.Enum):
    """Where the wording of a kind in one language comes from."""

    DEFAULT = "default"
    EVERYWHERE = "everywhere"  # the wording of every program, which a program's own overrides
    OWN = "own"  # the program's own (the wording of every program, on its own page)

    def label(self, program: Program | None) -> str:
        if self == Source.OWN and program is not None:
            return str(_("Your program's own wording"))
        if self == Source.DEFAULT:
            return str(_("Default wording"))
        return str(_("Wording for every program"))


def languages_of(program: Program | None) -> list[WordingLanguage]:
    """The program's languages, in its order; the installation's for the wording of every
    program (and for a program that has named none)."""
    codes = list(program.languages) if program is not None else []
    if not codes:
        codes = [code.split("-")[0] for code, _name in settings.LANGUAGES]
    labels = dict(Language.choices)
    return [WordingLanguage(code, str(labels.get(code, code))) for code in dict.fromkeys(codes)]


def find_language(program: Program | None, code: str) -> WordingLanguage | None:
    return next((language for language in languages_of(program) if language.code == code), None)


def _wording_rows(program: Program | None, keys: list[str] | None = None) -> list[MessageTemplate]:
    """The saved wording of the program and of every program (only every program's for None)."""
    scope = Q(program__isnull=True)
    if program is not None:
        scope |= Q(program=program)
    rows = MessageTemplate.objects.filter(scope)
    if keys is not None:
        rows = rows.filter(key__in=keys)
    return list(rows)


@dataclass(frozen=True)
class LanguageStatus:
    language: WordingLanguage
    source: Source
    label: str  # where its wording comes from, in words

    @property
    def is_default(self) -> bool:
        return self.source == Source.DEFAULT


@dataclass(frozen=True)
class KindStatus:
    kind: MessageKind
    languages: list[LanguageStatus]

    @property
    def channels(self) -> str:
        return channels_of(self.kind)


def channels_of(kind: MessageKind) -> str:
    """How the kind goes out, in words: "Text message, E-mail"."""
    return ", ".join(str(Channel(channel).label) for channel in kind.channels)


def wording_overview(program: Program | None) -> list[tuple[Topic, list[KindStatus]]]:
    """Every kind, by topic, with where its wording comes from in each language (one query)."""
    saved = {(row.key, row.language, row.program_id is None) for row in _wording_rows(program)}
    languages = languages_of(program)

    def status(kind: MessageKind, language: WordingLanguage) -> LanguageStatus:
        source = Source.DEFAULT
        if (kind.key, language.code, program is None) in saved:
            source = Source.OWN
        elif program is not None and (kind.key, language.code, True) in saved:
            source = Source.EVERYWHERE
        return LanguageStatus(language, source, source.label(program))

    return [
        (
            topic,
            [
                KindStatus(kind, [status(kind, language) for language in languages])
                for kind in topic.kinds
            ],
        )
        for topic in topics()
    ]


@dataclass(frozen=True)
class LanguageWording:
    """A kind's wording in one language: its default, every program's, the program's own."""

    language: WordingLanguage
    default: Wording
    everywhere: Wording | None  # for a program: the wording of every program, if any
    own: Wording | None

    @property
    def default_in_english(self) -> bool:
        """No default ships in this language: it is sent in English until one is written."""
        return not ships_defaults_in(self.language.code)

    @property
    def fallback(self) -> Wording:
        """What is sent without a wording of one's own."""
        return self.everywhere or self.default

    @property
    def current(self) -> Wording:
        return self.own or self.fallback

    @property
    def source(self) -> Source:
        if self.own is not None:
            return Source.OWN
        return Source.EVERYWHERE if self.everywhere is not None else Source.DEFAULT


def wordings_of(kind: MessageKind, program: Program | None) -> list[LanguageWording]:
    """The kind's wording in each of the program's languages (one query)."""
    saved = {
        (row.language, row.program_id is None): Wording(row.subject, row.body)
        for row in _wording_rows(program, [kind.key])
    }
    return [
        LanguageWording(
            language=language,
            default=default_wording(kind, language.code),
            everywhere=saved.get((language.code, True)) if program is not None else None,
            own=saved.get((language.code, program is None)),
        )
        for language in languages_of(program)
    ]


def wording_in(kind: MessageKind, program: Program | None, code: str) -> LanguageWording | None:
    return next(
        (wording for wording in wordings_of(kind, program) if wording.language.code == code), None
    )
