"""Text that waits for its reader: filled in, joined or changed only when it is read.

Like gettext_lazy's strings, these are written in the language active when they are read, so a
message's context may hold them and notify() writes each recipient's copy in their own language.
(`gettext_lazy("...") % values` would not wait: it is written at once, in the sender's language.)
"""

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import formats
from django.utils.functional import Promise, lazy


def _as_read(value: object) -> object:
    return str(value) if isinstance(value, Promise) else value


def _filled(text: object, values: Mapping[str, object]) -> str:
    return str(text) % {name: _as_read(value) for name, value in values.items()}


def _joined(separator: object, items: Iterable[object]) -> str:
    return str(separator).join(str(item) for item in items)


def _lowered(text: object) -> str:
    return str(text).lower()


def _capitalized(text: object) -> str:
    read = str(text)
    return read[:1].upper() + read[1:]


def _dated(day: dt.date, date_format: str) -> str:
    return formats.date_format(day, date_format)


# filled(gettext_lazy("the %(module)s training"), {"module": name})
filled = lazy(_filled, str)
# joined(gettext_lazy(", "), items)
joined = lazy(_joined, str)
lowered = lazy(_lowered, str)
# The first letter made a capital, the rest left as it is ("The Boundaries training").
capitalized = lazy(_capitalized, str)
# dated(day, "F Y"): "March 2026", "mars 2026"
dated = lazy(_dated, str)
