"""A settings form's texts in each of the program's languages, side by side (ADR 0004).

A form lists its translated fields; `offer_languages` adds, after each, its box in each other
language of the program (`name_fr`), labelled with the language and marked when nothing is
written in it yet. `field_rows` groups each text's boxes into one row for the page, and
`arguments` gives the service its keyword arguments with `translations={language: {field: …}}`.
"""

import copy
from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from alongside.core.errors import DomainError
from alongside.programs.content import TranslatedContent
from alongside.programs.models import Language
from alongside.programs.services import SettingsError
from alongside.programs.services.translations import translation_field


def language_name(code: str) -> str:
    return str(dict(Language.choices).get(code, code))


def in_language_label(label: StrOrPromise, language: str, *, missing: bool = False) -> SafeString:
    """ "Name — French", with "not written yet" after it when the text is missing."""
    labelled = format_html("{} — {}", label, language_name(language))
    if not missing:
        return labelled
    return format_html(
        '{} <span class="badge text-bg-warning" data-testid="missing-translation">{}</span>',
        labelled,
        _("not written yet"),
    )


class TranslationsMixin:
    """Adds each translated field's boxes in the program's other languages beside it."""

    fields: dict[str, forms.Field]
    translated: ClassVar[tuple[str, ...]] = ()

    def offer_languages(
        self, languages: Sequence[str], row: TranslatedContent | None = None
    ) -> None:
        """Say each translated field's main language and add a box for each other language,
        labelled with it, filled from `row` (and marked missing where its main text has none)."""
        main, others = languages[0], list(languages[1:])
        self.offered_languages = list(languages)
        self.translation_names: dict[str, tuple[str, str]] = {}
        ordered: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            ordered[name] = field
            if name not in self.translated or not others:
                continue
            base_label = field.label or name
            # The main box keeps its label (as error messages name it) and says its language.
            field.help_text = format_html(
                "{} {}",
                _("The program's main language: %(language)s.") % {"language": language_name(main)},
                field.help_text,
            )
            field.widget.attrs["lang"] = main
            for language in others:
                box = copy.deepcopy(field)
                box.required = False
                box.help_text = ""
                box.widget.attrs["lang"] = language
                written = row.translation(name, language) if row is not None else ""
                missing = row is not None and bool(getattr(row, name)) and not written
                box.label = in_language_label(base_label, language, missing=missing)
                box.initial = written
                ordered[translation_field(name, language)] = box
                self.translation_names[translation_field(name, language)] = (name, language)
        self.fields = ordered
        initial: dict[str, Any] = getattr(self, "initial", {})
        for box_name, box in ordered.items():
            if box_name in self.translation_names:
                initial.setdefault(box_name, box.initial)

    def field_rows(self) -> list[list[forms.BoundField]]:
        """The visible fields, a translated text's boxes in one row."""
        form: Any = self
        rows: list[list[forms.BoundField]] = []
        beside = {*getattr(self, "translation_names", {}), *getattr(self, "beside_previous", ())}
        for bound in form.visible_fields():
            if bound.name in beside and rows:
                rows[-1].append(bound)
            else:
                rows.append([bound])
        return rows

    def arguments(self) -> dict[str, Any]:
        """The cleaned data for the service: the main fields, and `translations` when any."""
        cleaned: dict[str, Any] = dict(getattr(self, "cleaned_data", {}))
        names = getattr(self, "translation_names", {})
        translations: dict[str, dict[str, str]] = {}
        for box_name, (name, language) in names.items():
            translations.setdefault(language, {})[name] = cleaned.pop(box_name, "") or ""
        if translations:
            cleaned["translations"] = translations
        return cleaned


def show_refusal(form: forms.Form, error: DomainError) -> None:
    """Puts each message of a refused change beside its field (above the form otherwise)."""
    if not isinstance(error, SettingsError):
        form.add_error(None, error.message)
        return
    for field, problems in error.errors.items():
        form.add_error(field if field in form.fields else None, problems)
