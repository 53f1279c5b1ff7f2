"""Checking the texts a coordinator writes in a program's other languages (ADR 0004).

A page names each translation's field `<field>_<language>` ("name_fr"), so a refused text's
message lands beside its box.
"""

from collections.abc import Collection, Mapping
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from alongside.programs.content import TranslatedContent, merged_translations
from alongside.programs.services.checks import SettingsError

# {language: {field: text}}, and {language: {group: {key: text}}} for structured content.
Texts = Mapping[str, Mapping[str, str]]
Phrases = Mapping[str, Mapping[str, Mapping[str, str]]]


def translation_field(field: str, language: str) -> str:
    """The name a page gives the box of `field` in `language`."""
    return f"{field}_{language}"


def _limit(row: TranslatedContent, field: str) -> int | None:
    found = row._meta.get_field(field)
    return found.max_length if isinstance(found, models.Field) else None


def checked_translations(
    row: TranslatedContent,
    texts: Texts,
    *,
    phrases: Phrases | None = None,
    languages: Collection[str] | None = None,
) -> dict[str, Any]:
    """`row.translations` with `texts` and `phrases` set; refused (SettingsError) for a language
    the program does not offer besides its main one (or not among `languages`), or a text
    longer than the main one may be."""
    others = row.content_languages()[1:] if languages is None else languages
    problems: dict[str, list[str]] = {}
    for language in {*texts, *(phrases or {})} - set(others):
        problems[translation_field("translations", language)] = [
            _("“%(code)s” is not one of the program's other languages.") % {"code": language}
        ]
    for language, fields in texts.items():
        for field, text in fields.items():
            if field not in row.translated_fields:
                raise ValueError(f"{field!r} is not translated on {type(row).__name__}.")
            limit = _limit(row, field)
            if limit is not None and len(text.strip()) > limit:
                problems[translation_field(field, language)] = [
                    _("Please keep it to %(limit)d characters or fewer (it has %(count)d).")
                    % {"limit": limit, "count": len(text.strip())}
                ]
    if problems:
        raise SettingsError(problems)
    return merged_translations(row.translations or {}, texts, phrases=phrases)
