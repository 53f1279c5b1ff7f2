"""Program content in the reader's language on a page (ADR 0004).

{% load content %}
{{ program|translated:"name" }}                     the words alone (a title, an attribute)
{{ program|translated:"name"|marked }}              in a lang span when it falls back
{{ program|translated:"crisis_message"|marked:"lines note" }}   with "(in English)"
"""

from django import template
from django.utils.safestring import SafeString

from alongside.programs.content import Text, TranslatedContent
from alongside.programs.content import marked as marked_text
from alongside.programs.models import Language

register = template.Library()


@register.filter
def translated(row: TranslatedContent | None, field: str) -> Text | str:
    """`field` of `row` in the page's language, else the program's first language."""
    if row is None:
        return ""
    return row.in_language(field)


@register.filter
def marked(text: Text | str, options: str = "") -> SafeString | str:
    """A text as HTML that names its language when it falls back ("note": and says so;
    "lines": keeping its line breaks)."""
    if not isinstance(text, Text):
        return text
    words = options.split()
    return marked_text(text, note="note" in words, lines="lines" in words)


@register.filter
def missing_languages(row: TranslatedContent) -> str:
    """The names of the languages some of `row`'s texts are not written in yet ("French")."""
    names = dict(Language.choices)
    return ", ".join(str(names.get(code, code)) for code in row.missing_translations())
