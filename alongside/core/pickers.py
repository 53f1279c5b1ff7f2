"""Choosing one among many by searching for it: a program's supporters, its waiting requests.

A page never lists everyone (architecture rule 10). A picker is a search box and, under it, the
few results as radio buttons; the chosen one is sent under the field's own name. With htmx the
box asks the server as the person types (`answer_search`, served by the page's app, which
decides who may search and among whom); without JavaScript its Search button sends a GET form
that reloads the page with the results. The radios are plain radio buttons in a fieldset, and a
polite status says how many were found: simpler for screen readers than a combobox, and they
work the same with or without JavaScript.

The server accepts only a value in the picker's allowed set (`Source.allowed`), whatever was
sent: another program's supporter, or an unknown id, is refused with a message.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# At most this many results are shown; a longer search text narrows them.
RESULTS = 10
# The search text is cut to this length, and to this many words.
LONGEST_SEARCH = 100
MOST_WORDS = 4
# A field's name as a form gives it ("supporter", "conflict-supporter", "match_12").
FIELD_NAME = re.compile(r"[A-Za-z][\w-]{0,60}")
SEARCH_SUFFIX = "-search"


@dataclass(frozen=True)
class Option:
    """One result: what the radio button sends, the name, and what tells two alike apart."""

    value: int
    label: str
    detail: str = ""
    # Shown, but not to be chosen (already invited...): the detail says why.
    disabled: bool = False


@dataclass(frozen=True)
class Source[M: Model]:
    """Where a picker searches, and what it accepts."""

    allowed: QuerySet[M]
    # The allowed rows whose name (or reference) matches the words typed, in the order shown.
    matching: Callable[[QuerySet[M], list[str]], QuerySet[M]]
    describe: Callable[[M], Option]
    # "3 supporters found", in the reader's language.
    found: Callable[[int], str]
    # What shows before anything is typed (the longest waiting...), with what the status says.
    suggested: Callable[[QuerySet[M]], QuerySet[M]] | None = None
    suggested_text: str = ""
    # What the status says when nothing is found, with "%(text)s" for what was typed: for a
    # source searching encrypted names (whole words only), not "type less of the name".
    nothing_found_text: str = ""

    def chosen(self, value: object) -> M | None:
        """The allowed row with this id, or None for anything else."""
        try:
            key = int(str(value))
        except ValueError:
            return None
        return self.allowed.filter(pk=key).first()

    def search(self, text: str) -> tuple[list[M], bool]:
        """The first results for the text (the suggestions when it is empty), and whether
        there are more."""
        words = search_words(text)
        if words:
            rows = self.matching(self.allowed, words)
        elif self.suggested is not None:
            rows = self.suggested(self.allowed)
        else:
            return [], False
        found = list(rows[: RESULTS + 1])
        return found[:RESULTS], len(found) > RESULTS


def search_words(text: str) -> list[str]:
    return text[:LONGEST_SEARCH].split()[:MOST_WORDS]


class PickerWidget(forms.Widget):
    """The search box, its Search button, the status and the results (core/_picker.html)."""

    template_name = "core/_picker.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.source: Source[Any] | None = None
        self.search_url = ""
        self.searched = ""
        self.search_form = ""
        # Choices always offered before the results ("Nobody yet: ..."), sent as they are.
        self.fixed: list[tuple[str, str]] = []

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        return data.get(name)

    def use_required_attribute(self, initial: Any) -> bool:
        # What is required is a choice among the results, not text in the search box.
        return False

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        box = self.build_attrs(self.attrs, attrs)
        box.setdefault("class", "form-control form-control-lg")
        context = results_context(
            self.source, name=name, text=self.searched, chosen=value, base=str(box.get("id", ""))
        )
        context |= {
            "box": flatatt(box),
            "search_url": self.search_url,
            "search_form": self.search_form,
            "fixed": self.fixed,
            "oob": False,
        }
        return SafeString(render_to_string(self.template_name, context))


class PickerField(forms.Field):
    """A field chosen through a picker; cleaned to the chosen row of the allowed set."""

    widget = PickerWidget
    default_error_messages = {
        "required": gettext_lazy("Search by name, then choose one of the results."),
        "invalid_choice": gettext_lazy(
            "That choice is not one you can make here. Search again and choose one of the results."
        ),
    }

    def __init__(self, *, fixed: list[tuple[str, str]] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Type part of the name, then choose."))
        super().__init__(**kwargs)
        self.picker.fixed = list(fixed or [])

    @property
    def picker(self) -> PickerWidget:
        assert isinstance(self.widget, PickerWidget)
        return self.widget

    def clean(self, value: Any) -> Any:
        if value in self.empty_values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return None
        if any(str(value) == fixed for fixed, _label in self.picker.fixed):
            return str(value)
        source = self.picker.source
        chosen = source.chosen(value) if source is not None else None
        if chosen is None:
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid")
        return chosen


def set_picker(
    form: forms.Form,
    name: str,
    *,
    source: Source[Any],
    search_url: str,
    searched: Mapping[str, Any] | None = None,
    search_form: str = "",
) -> None:
    """Points the form's picker field `name` at its source and its search view.

    `searched` holds the text typed (a bound GET form's own data by default); `search_form` is
    the id of the GET form the box belongs to when the field sits in a POST form (the search
    sends the text alone, never the rest of the form).
    """
    field = form.fields[name]
    assert isinstance(field, PickerField)
    picker = field.picker
    picker.source = source
    picker.search_url = search_url
    picker.search_form = search_form
    texts = form.data if searched is None else searched
    picker.searched = str(texts.get(form.add_prefix(name) + SEARCH_SUFFIX, ""))[:LONGEST_SEARCH]


def results_context(
    source: Source[Any] | None, *, name: str, text: str, chosen: object, base: str
) -> dict[str, Any]:
    """The results for the text, the chosen one first, and what the status says."""
    rows, more = source.search(text) if source is not None else ([], False)
    options = [source.describe(row) for row in rows] if source is not None else []
    chosen_value = str(chosen or "")
    if chosen_value and source is not None:
        found = [option for option in options if str(option.value) == chosen_value]
        if found:  # among the results: moved to the top, where the reader left it
            options = found + [option for option in options if option not in found]
        elif (row := source.chosen(chosen_value)) is not None:
            options.insert(0, source.describe(row))
    return {
        "name": name,
        "base": base or f"id_{name}",
        "searched": text,
        "options": options,
        "chosen": chosen_value,
        "status": status_text(source, text, len(rows), more),
    }


def status_text(source: Source[Any] | None, text: str, count: int, more: bool) -> str:
    if source is None or not (search_words(text) or count):
        return ""
    if not search_words(text):
        return source.suggested_text
    if not count:
        nothing_found = source.nothing_found_text or _(
            "Nobody found for “%(text)s”. Check the spelling, or type less of the name."
        )
        return nothing_found % {"text": text.strip()}
    if more:
        return _("The first %(count)d found: type more of the name to narrow the search.") % {
            "count": count
        }
    return source.found(count)


def answer_search(request: HttpRequest, source: Source[Any]) -> HttpResponse:
    """The results of a picker's search, asked in place: the view decided who may search and
    among whom (`source`). The request names the field, the text typed and the current choice."""
    name = request.GET.get("name", "")
    if not FIELD_NAME.fullmatch(name):
        name = "chosen"
    context = results_context(
        source,
        name=name,
        text=request.GET.get(name + SEARCH_SUFFIX, "")[:LONGEST_SEARCH],
        chosen=request.GET.get(name, ""),
        base=f"id_{name}",
    )
    return render(request, "core/_picker.html#results", context | {"oob": True})
