"""Program content in each of the program's languages (ADR 0004).

A coordinator writes a program's texts (its name, description, crisis lines, questions, steps,
trainings, resources) in its main language, the first of `Program.languages`, in the model's
own columns; the other languages are kept beside them, in the row's `translations`:
``{"fr": {"name": "…", "description": "…"}}``. A reader gets the text in their language, else in
the program's main language, and the `Text` says which, so a page can mark it (`lang`) and say so.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

# What a page adds after a text shown in another language than the reader's.
IN_LANGUAGE: dict[str, StrOrPromise] = {
    "en": _("(in English)"),
    "fr": _("(in French)"),
    "es": _("(in Spanish)"),
    "pt": _("(in Portuguese)"),
    "zh": _("(in Chinese)"),
    "pa": _("(in Punjabi)"),
    "ar": _("(in Arabic)"),
    "ht": _("(in Haitian Creole)"),
    "tl": _("(in Tagalog)"),
}


def base_language(code: str | None) -> str:
    """The language without its region ("fr-ca" -> "fr"), as programs list their languages."""
    return (code or settings.LANGUAGE_CODE).split("-")[0].split("_")[0].lower()


def installation_language() -> str:
    return base_language(settings.LANGUAGE_CODE)


def reader_language() -> str:
    """The language the page is being read in (the active translation)."""
    return base_language(translation.get_language())


@dataclass(frozen=True)
class Text:
    """A text as one reader gets it: the words, the language they are in, the one wanted."""

    text: str
    language: str
    wanted: str

    @property
    def is_fallback(self) -> bool:
        """Shown in another language than the reader's, because nobody has written theirs."""
        return bool(self.text) and self.language != self.wanted

    @property
    def note(self) -> str:
        """ "(in English)" for a fallback, in the reader's language; else nothing."""
        return str(IN_LANGUAGE.get(self.language, "")) if self.is_fallback else ""

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


def marked(text: Text, *, note: bool = False, lines: bool = False) -> SafeString:
    """The text as HTML: in a span naming its language when it is not the reader's (so a
    screen reader switches voice), with "(in English)" after it when `note`; line breaks kept
    as <br> when `lines`."""
    words = escape(normalize_newlines(text.text))
    if lines:
        words = mark_safe(words.replace("\n", "<br>"))  # noqa: S308  (escaped above)
    if not text.is_fallback:
        return words
    shown = format_html('<span lang="{}">{}</span>', text.language, words)
    if note:
        return format_html('{} <span class="content-language-note">{}</span>', shown, text.note)
    return shown


def pick(
    *,
    main: str,
    main_language: str,
    written: Mapping[str, str],
    wanted: str,
    fallbacks: Sequence[str],
) -> Text:
    """The text in `wanted`, else in the first of `fallbacks` that has it, else the main text.

    `written` holds the text in the other languages; the main text is in `main_language`.
    """
    for language in (wanted, *fallbacks):
        if language == main_language and main:
            return Text(main, main_language, wanted)
        if written.get(language):
            return Text(written[language], language, wanted)
    return Text(main, main_language, wanted)


class TranslatedContent(models.Model):
    """A row whose texts a coordinator writes in each of its program's languages.

    `translated_fields` names the text columns; they hold the main language. `translations`
    holds the others, ``{language: {field: text}}``, and may hold structured content a model
    knows how to read (its questions, keyed by what does not change between languages).
    """

    translations = models.JSONField(_("in other languages"), default=dict, blank=True)

    translated_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def content_languages(self) -> list[str]:
        """The languages of this text, the main one first (the program's, for its content)."""
        return [installation_language()]

    @property
    def main_language(self) -> str:
        return next(iter(self.content_languages()), installation_language())

    def translation(self, field: str, language: str) -> str:
        """The text of `field` as written in `language`, or "" (the main text for the main one)."""
        if language == self.main_language:
            return str(getattr(self, field) or "")
        value = (self.translations or {}).get(language, {}).get(field, "")
        return value if isinstance(value, str) else ""

    def in_language(
        self, field: str, language: str | None = None, *, fallbacks: Sequence[str] = ()
    ) -> Text:
        """`field` in the reader's language (the page's unless named), else in `fallbacks`
        (the program's main language for shared content), else in the main language."""
        written = {
            code: texts[field]
            for code, texts in (self.translations or {}).items()
            if isinstance(texts, dict) and isinstance(texts.get(field), str)
        }
        return pick(
            main=str(getattr(self, field) or ""),
            main_language=self.main_language,
            written=written,
            wanted=base_language(language) if language else reader_language(),
            fallbacks=[*fallbacks, self.main_language],
        )

    def phrase_in(
        self,
        group: str,
        key: str,
        main: str,
        language: str | None = None,
        *,
        fallbacks: Sequence[str] = (),
    ) -> Text:
        """A text kept inside structured content (a question, an answer, a statement): `main`
        in the main language, the others under `translations[language][group][key]`."""
        return pick(
            main=main,
            main_language=self.main_language,
            written=self.phrases(group, key),
            wanted=base_language(language) if language else reader_language(),
            fallbacks=[*fallbacks, self.main_language],
        )

    def phrases(self, group: str, key: str) -> dict[str, str]:
        """The phrase `key` of `group` as written in each other language."""
        found: dict[str, str] = {}
        for code, texts in (self.translations or {}).items():
            phrases = texts.get(group) if isinstance(texts, dict) else None
            if isinstance(phrases, dict) and isinstance(phrases.get(key), str) and phrases[key]:
                found[code] = phrases[key]
        return found

    def missing_translations(self, languages: Iterable[str] | None = None) -> dict[str, list[str]]:
        """For each other language, the fields with a main text and no translation yet."""
        wanted = self.content_languages()[1:] if languages is None else languages
        return {
            language: missing
            for language in wanted
            if language != self.main_language
            and (
                missing := [
                    field
                    for field in self.translated_fields
                    if getattr(self, field) and not self.translation(field, language)
                ]
            )
        }


def _set(values: dict[str, Any], key: str, text: str) -> None:
    cleaned = text.strip()
    if cleaned:
        values[key] = cleaned
    else:
        values.pop(key, None)


def merged_translations(
    current: Mapping[str, Any],
    texts: Mapping[str, Mapping[str, str]],
    *,
    phrases: Mapping[str, Mapping[str, Mapping[str, str]]] | None = None,
) -> dict[str, Any]:
    """`current` with `texts` (``{language: {field: text}}``) and `phrases`
    (``{language: {group: {key: text}}}``) set, an empty text removed, everything else kept."""
    merged: dict[str, Any] = {
        code: {
            key: dict(value) if isinstance(value, dict) else value for key, value in values.items()
        }
        for code, values in current.items()
        if isinstance(values, dict)
    }
    for language, fields in texts.items():
        values = merged.setdefault(language, {})
        for field, text in fields.items():
            _set(values, field, text)
    for language, groups in (phrases or {}).items():
        values = merged.setdefault(language, {})
        for group, keyed in groups.items():
            phrasebook = values.setdefault(group, {})
            for key, text in keyed.items():
                _set(phrasebook, key, text)
            if not phrasebook:
                values.pop(group)
    return {code: values for code, values in merged.items() if values}


def switch_main_language(row: TranslatedContent, old: str, new: str) -> bool:
    """Make `new` the language of `row`'s columns: each text written in `new` moves into its
    column, and the column's text moves to `old`. A text not yet written in `new` stays in
    its column. Structured phrases keep their keys. Returns whether anything moved."""
    translations: dict[str, Any] = {
        code: dict(values) for code, values in (row.translations or {}).items()
    }
    incoming, outgoing = translations.get(new, {}), translations.get(old, {})
    moved = False
    for field in row.translated_fields:
        replacement = incoming.get(field)
        if not isinstance(replacement, str) or not replacement:
            continue
        current = str(getattr(row, field) or "")
        setattr(row, field, replacement)
        del incoming[field]
        if current:
            outgoing[field] = current
        moved = True
    translations[old], translations[new] = outgoing, incoming
    row.translations = {code: values for code, values in translations.items() if values}
    return moved


def locale_for(language: str) -> str | None:
    """The installation's locale for a program's language ("fr" -> "fr-ca"), if it has one."""
    return next(
        (code for code, _name in settings.LANGUAGES if base_language(code) == language), None
    )


def in_each_language(words: StrOrPromise, languages: Sequence[str]) -> tuple[str, dict[str, Any]]:
    """Text marked for translation (a default step's name) in the first of `languages`, and
    `translations` holding it in the others the installation's catalogues know."""
    main, *others = languages
    with translation.override(locale_for(main) or main):
        main_text = str(words)
    translations: dict[str, Any] = {}
    for language in others:
        code = locale_for(language)
        if code is None:
            continue
        with translation.override(code):
            text = str(words)
        if text != main_text:
            translations[language] = {"name": text}
    return main_text, translations
