"""A pseudo locale made from the real catalogues, for the tests that read every page in it.

Its catalogue holds every string a French reader gets in French: each entry of each compiled
catalogue Django reads for fr-ca (ours, Django's, allauth's, in the order Django finds them),
translated by a marked transformation of its English: each letter swapped for an unusual
accented one, the whole in ⟦ ⟧, placeholders (%(name)s, %s, {name}), HTML tags and entities
left as they are. A page rendered in it shows every translated word in those letters; a word in
plain letters came from outside the catalogues (or is data).

The pseudo language is offered only inside `pseudo_language()`, which the tests enter: it adds the
language and the folder of its catalogue to the settings for as long as it lasts. Users are never
offered it (settings.LANGUAGES does not have it).
"""

import gettext
import re
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.test import override_settings

# Android's code for its accented-English pseudo locale.
PSEUDO_LANGUAGE = "en-xa"
PSEUDO_LOCALE = "en_XA"
# The language whose catalogues the pseudo one is made from.
SOURCE_LOCALE = "fr_CA"

_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
# Letters rare in people's names (none of French, Spanish or Portuguese accents), so a data
# word is never taken for a translated one.
_MARKED = "ȧƀƈɗḗƒɠħɨĵķŀḿƞǿƥɋřşŧŭṽẇẋẏẑȦƁƇƊḖƑƓĦƗĴĶĿḾȠǾƤɊŘŞŦŬṼẆẊẎẐ"
_TRANSFORM = str.maketrans(_PLAIN, _MARKED)
# The marked letters, with their other case as filters like |upper and |lower write them.
MARKED_LETTERS = frozenset(_MARKED + _MARKED.upper() + _MARKED.lower())
OPENING, CLOSING = "⟦", "⟧"
# What a translation must keep as it is: printf and brace placeholders, HTML tags, entities.
_KEPT = re.compile(
    r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]"
    r"|\{[^{}\s]*\}"
    r"|<[^<>]*>"
    r"|&#?\w+;"
)
_MO_MAGIC = 0x950412DE
_HEADER = (
    "Content-Type: text/plain; charset=UTF-8\n"
    "Language: en_XA\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"
)


def pseudo(text: str) -> str:
    """The pseudo translation of an English text: marked letters in ⟦ ⟧, its placeholders, tags
    and entities kept, and its leading and trailing whitespace outside the brackets."""
    core = text.strip()
    if not core:
        return text
    start = text.index(core[0])
    parts, position = [], 0
    for kept in _KEPT.finditer(core):
        parts.append(core[position : kept.start()].translate(_TRANSFORM))
        parts.append(kept.group())
        position = kept.end()
    parts.append(core[position:].translate(_TRANSFORM))
    end = start + len(core)
    return f"{text[:start]}{OPENING}{''.join(parts)}{CLOSING}{text[end:]}"


def source_catalogues() -> list[Path]:
    """The compiled catalogues Django reads for the source language, where it looks for them:
    its own, each installed app's, then the project's (LOCALE_PATHS)."""
    folders = [Path(django.__file__).parent / "conf" / "locale"]
    folders += [Path(config.path) / "locale" for config in apps.get_app_configs()]
    folders += [Path(folder) for folder in settings.LOCALE_PATHS]
    found = []
    for folder in folders:
        # fr_CA, else fr: as gettext (and so Django) looks in each folder.
        mo = gettext.find("django", str(folder), [SOURCE_LOCALE])
        if mo is not None:
            found.append(Path(mo))
    return found


def read_mo(path: Path) -> dict[str, str]:
    """A compiled catalogue's entries: the raw key (context, English and plural) -> translation."""
    data = path.read_bytes()
    order = "<" if struct.unpack("<I", data[:4])[0] == _MO_MAGIC else ">"
    _revision, count, originals, translations = struct.unpack(f"{order}4I", data[4:20])
    entries = {}
    for index in range(count):
        key_length, key_at = struct.unpack_from(f"{order}2I", data, originals + 8 * index)
        value_length, value_at = struct.unpack_from(f"{order}2I", data, translations + 8 * index)
        key = data[key_at : key_at + key_length].decode()
        entries[key] = data[value_at : value_at + value_length].decode()
    return entries


def pseudo_entry(key: str) -> str:
    """The pseudo translation of one raw entry: each plural form made from its English."""
    context, separator, english = key.rpartition("\x04")
    del context, separator  # the context tells translators apart, not what is shown
    return "\x00".join(pseudo(form) for form in english.split("\x00"))


def write_mo(path: Path, entries: dict[str, str]) -> None:
    """A compiled catalogue (GNU .mo, without the optional hash table) with these entries."""
    keys = sorted(entries)
    originals = [key.encode() for key in keys]
    translations = [entries[key].encode() for key in keys]
    count = len(keys)
    table_at = 28
    strings_at = table_at + 16 * count
    tables, blob = [], b""
    for strings in (originals, translations):
        table = b""
        for text in strings:
            table += struct.pack("<2I", len(text), strings_at + len(blob))
            blob += text + b"\x00"
        tables.append(table)
    header = struct.pack("<7I", _MO_MAGIC, 0, count, table_at, table_at + 8 * count, 0, 0)
    path.write_bytes(header + tables[0] + tables[1] + blob)


def build_pseudo_catalogue(folder: Path) -> int:
    """Writes the pseudo catalogue under `folder` (a locale folder); returns its size."""
    entries = {}
    for mo in source_catalogues():
        for key in read_mo(mo):
            if key:  # the header, written below
                entries[key] = pseudo_entry(key)
    entries[""] = _HEADER
    target = folder / PSEUDO_LOCALE / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    write_mo(target / "django.mo", entries)
    return len(entries) - 1


@contextmanager
def pseudo_language(folder: Path) -> Iterator[int]:
    """The pseudo language offered, with its catalogue built under `folder`, for as long as the
    block lasts. Yields the number of strings in its catalogue."""
    size = build_pseudo_catalogue(folder)
    with override_settings(
        LANGUAGES=[*settings.LANGUAGES, (PSEUDO_LANGUAGE, "Pseudo")],
        LOCALE_PATHS=[*settings.LOCALE_PATHS, str(folder)],
    ):
        yield size
