"""Choosing several among many by searching for them (a picker, core.pickers, with checkboxes).

The people already chosen are shown first, as a list of checked boxes, each with a Remove button;
under them the results of the current search, as checkboxes. Each search carries the chosen
ones: with htmx the box asks the server (`answer_many_search`) with every ticked box, and the
answer shows them first; without JavaScript the Search and Remove buttons send the page's form,
and `search_again` turns it into a GET of the same page that keeps the chosen ids (never the
form's secret token) and shows the results. At most `MOST_CHOSEN` at a time.

The server accepts only values in the picker's allowed set (`Source.allowed`), whatever was sent.
"""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, ngettext

from alongside.core.pickers import (
    FIELD_NAME,
    LONGEST_SEARCH,
    SEARCH_SUFFIX,
    PickerField,
    PickerWidget,
    Source,
    status_text,
)

MOST_CHOSEN = 100
# The buttons that, without JavaScript, search again or take one off the chosen list.
FIND_SUFFIX = "-find"
REMOVE_SUFFIX = "-remove"


def chosen_keys(values: list[Any]) -> list[int]:
    """The whole numbers among the values sent, each once, in order (at most MOST_CHOSEN + 1)."""
    keys: list[int] = []
    for value in values:
        text = str(value).strip()
        if text.isdigit() and len(text) < 12 and int(text) not in keys:
            keys.append(int(text))
        if len(keys) > MOST_CHOSEN:
            break
    return keys


def many_results_context(
    source: Source[Any] | None, *, name: str, text: str, chosen: list[Any], base: str
) -> dict[str, Any]:
    """The chosen ones (those allowed), the results of the search not among them, the status."""
    rows, more = source.search(text) if source is not None else ([], False)
    keys = chosen_keys(chosen)[:MOST_CHOSEN]
    picked = []
    if source is not None and keys:
        found = {row.pk: row for row in source.allowed.filter(pk__in=keys)}
        picked = [source.describe(found[key]) for key in keys if key in found]
    shown = {option.value for option in picked}
    options = [source.describe(row) for row in rows if row.pk not in shown] if source else []
    return {
        "name": name,
        "base": base or f"id_{name}",
        "searched": text,
        "picked": picked,
        "options": options,
        "status": status_text(source, text, len(rows), more),
        "picked_title": ngettext("%(count)d chosen", "%(count)d chosen", len(picked))
        % {"count": len(picked)},
    }


class ManyPickerWidget(PickerWidget):
    """The search box, its Search button, the status, the chosen ones and the results."""

    template_name = "core/_many_picker.html"

    def value_from_datadict(self, data: Mapping[str, Any], files: Any, name: str) -> Any:
        getlist = getattr(data, "getlist", None)
        if getlist is not None:
            return getlist(name)
        value = data.get(name)
        return value if isinstance(value, list) else [value] if value else []

    def value_omitted_from_data(self, data: Mapping[str, Any], files: Any, name: str) -> bool:
        return False

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        box = self.build_attrs(self.attrs, attrs)
        box.setdefault("class", "form-control form-control-lg")
        chosen = list(value) if isinstance(value, list | tuple) else []
        context = many_results_context(
            self.source, name=name, text=self.searched, chosen=chosen, base=str(box.get("id", ""))
        )
        context |= {
            "box": flatatt(box),
            "search_url": self.search_url,
            "oob": False,
        }
        return SafeString(render_to_string(self.template_name, context))


class ManyPickerField(PickerField):
    """Several chosen through a picker; cleaned to the chosen rows of the allowed set."""

    widget = ManyPickerWidget
    default_error_messages = {
        "required": gettext_lazy("Search by name, then choose at least one of the results."),
        "invalid_choice": gettext_lazy(
            "Some of those chosen are not ones you can choose here. Check the list and try again."
        ),
        "too_many": gettext_lazy("Choose at most %(most)d at a time."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", gettext_lazy("Type part of a name, then tick who you want."))
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        values = [item for item in (value or []) if str(item).strip()]
        if not values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        keys = chosen_keys(values)
        if len(keys) > MOST_CHOSEN:
            raise forms.ValidationError(
                self.error_messages["too_many"], code="too_many", params={"most": MOST_CHOSEN}
            )
        source = self.picker.source
        found = {row.pk: row for row in source.allowed.filter(pk__in=keys)} if source else {}
        if len(keys) != len({str(item).strip() for item in values}) or set(keys) - set(found):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid")
        return [found[key] for key in keys]


def search_again(request: HttpRequest, name: str) -> HttpResponse | None:
    """Without JavaScript, the Search or Remove button sent the page's form: the same page, as
    a GET that keeps what was chosen and typed (less the one removed), shows the results."""
    if request.method != "POST" or not (
        name + FIND_SUFFIX in request.POST or name + REMOVE_SUFFIX in request.POST
    ):
        return None
    removed = request.POST.get(name + REMOVE_SUFFIX, "")
    query = QueryDict(mutable=True)
    for key, values in request.POST.lists():
        if key == "csrfmiddlewaretoken" or key.endswith((FIND_SUFFIX, REMOVE_SUFFIX)):
            continue
        if key == name:
            values = [str(pk) for pk in chosen_keys(values) if str(pk) != removed]
        query.setlist(key, [value[:LONGEST_SEARCH] for value in values])
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}#id_{name}")


def answer_many_search(request: HttpRequest, source: Source[Any]) -> HttpResponse:
    """The chosen ones and the results of a search, asked in place (the view decided who may
    search and among whom). The request names the field, the text, the ticked ones, and the one
    to take off the list, if any."""
    name = request.GET.get("name", "")
    if not FIELD_NAME.fullmatch(name):
        name = "chosen"
    removed = request.GET.get("remove", "")
    chosen = [value for value in request.GET.getlist(name) if value != removed]
    context = many_results_context(
        source,
        name=name,
        text=request.GET.get(name + SEARCH_SUFFIX, "")[:LONGEST_SEARCH],
        chosen=chosen,
        base=f"id_{name}",
    )
    return render(
        request,
        "core/_many_picker.html#results",
        context | {"oob": True, "search_url": request.path},
    )
