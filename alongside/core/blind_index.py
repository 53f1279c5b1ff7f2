"""Keyed blind indexes: searching encrypted names, e-mail addresses and phone numbers (ADR 0006).

An encrypted field cannot be searched: its stored value changes at every save. Beside it, a
`BlindIndexField` keeps a keyed digest (HMAC-SHA256 with ALONGSIDE_INDEX_KEYS, never the field
keys) of its normalised value, truncated to 64 bits, written by the field itself on every save
(and every bulk_create). A search computes the same digest from what was typed and compares
digests: the database never holds nor receives the name, only tokens.

Names are indexed word by word, so "Tremblay" finds "Gagnon-Tremblay"; e-mail addresses and
phone numbers as a whole. Only whole words match, never prefixes: a token per prefix would let
anyone who reads the table count how names begin.
"""

import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q

TOKEN_BYTES = 8  # 64 bits: see ADR 0006 for the numbers.
TOKEN_LENGTH = TOKEN_BYTES * 2  # hexadecimal
MAX_WORDS = 8
# Room for MAX_WORDS tokens (one for an address or a phone), each followed by a space, after a
# leading space.
WORDS_LENGTH = 1 + MAX_WORDS * (TOKEN_LENGTH + 1)
WHOLE_LENGTH = 1 + TOKEN_LENGTH + 1
BATCH_SIZE = 500

# The apostrophes people type: straight, typographic (U+2019), modifier (U+02BC), grave, acute.
_APOSTROPHES = re.compile("['\u2019\u02bc`\u00b4]")
_NOT_A_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_NOT_A_DIGIT = re.compile(r"\D+")


class Kind(StrEnum):
    WORDS = "words"  # a name: each word is a token
    EMAIL = "email"  # one token for the whole address
    PHONE = "phone"  # one token for its digits


def fold(text: str) -> str:
    """Casefolded, accents stripped, spaces collapsed: " Hélène  D'AMOURS " -> "helene d'amours"."""
    # Compatibility forms first (a mathematical bold "A" is an "A"), then case, then once more:
    # casefolding can make a letter that decomposes. Folding a folded text changes nothing.
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.split())


def words(text: str) -> list[str]:
    """A name's words, each once, in order: apostrophes join ("D'Amours" is "damours"),
    hyphens and other marks separate ("Gagnon-Tremblay" is "gagnon", "tremblay")."""
    joined = _APOSTROPHES.sub("", fold(text))
    found = [word for word in _NOT_A_LETTER_OR_DIGIT.split(joined) if word]
    return list(dict.fromkeys(found))


def normalised(text: str, kind: Kind) -> list[str]:
    """The values a stored text is indexed under (and a typed text searched with)."""
    if kind is Kind.WORDS:
        return words(text)[:MAX_WORDS]
    if kind is Kind.EMAIL:
        address = "".join(fold(text).split())
        return [address] if address else []
    digits = _NOT_A_DIGIT.sub("", text)
    if len(digits) == 11 and digits.startswith("1"):  # +1 (North America) or 1-800-…
        digits = digits[1:]
    return [digits] if digits else []


def index_keys() -> list[bytes]:
    keys = [key.encode() for key in settings.BLIND_INDEX_KEYS]
    if not keys:
        raise ImproperlyConfigured(
            "ALONGSIDE_INDEX_KEYS is empty: encrypted names cannot be searched."
        )
    return keys


def token(key: bytes, label: str, value: str) -> str:
    """The digest of one normalised value of one field. The field's label is part of the
    message, so the same surname gives unrelated tokens in two tables."""
    message = f"{label}\x00{value}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:TOKEN_LENGTH]


def index_value(label: str, text: str, kind: Kind, *, key: bytes | None = None) -> str:
    """What the index column holds for `text`: " t1 t2 " (spaces around each token, so a
    word matches only a whole token), or "" when there is nothing to index."""
    key = key if key is not None else index_keys()[0]
    tokens = [token(key, label, value) for value in normalised(text, kind)]
    return f" {' '.join(tokens)} " if tokens else ""


class BlindIndexField(models.CharField):  # type: ignore[type-arg]
    """The blind index of the encrypted field `source` on the same model.

    Written by `pre_save`, so every save and bulk_create keeps it; a source that no field key
    opens keeps the index it had. Never edited, never shown.
    """

    def __init__(
        self, *args: object, source: str, kind: Kind | str = Kind.WORDS, **kwargs: object
    ) -> None:
        self.source = source
        self.kind = Kind(kind)
        kwargs.setdefault("max_length", WORDS_LENGTH if self.kind is Kind.WORDS else WHOLE_LENGTH)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs.setdefault("editable", False)
        # An address or a phone is looked up whole, by an index; a name's words are found
        # inside its column among the rows of the programs searched (ADR 0006).
        kwargs.setdefault("db_index", self.kind is not Kind.WORDS)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    def deconstruct(self) -> tuple[str, str, Sequence[Any], dict[str, Any]]:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        kwargs["kind"] = str(self.kind)
        defaults = {
            "blank": True,
            "default": "",
            "editable": False,
            "db_index": self.kind is not Kind.WORDS,
        }
        kwargs.setdefault("db_index", False)  # Field.deconstruct leaves False out
        for option, default in defaults.items():
            if kwargs.get(option) == default:
                del kwargs[option]
        return name, path, args, kwargs

    @property
    def lookup(self) -> str:
        return "contains" if self.kind is Kind.WORDS else "exact"

    @property
    def label(self) -> str:
        return f"{self.model._meta.label_lower}.{self.source}"

    def value_for(self, instance: models.Model, *, key: bytes | None = None) -> str:
        text = getattr(instance, self.source)
        if getattr(text, "unreadable", False):
            return str(getattr(instance, self.attname))
        return index_value(self.label, str(text or ""), self.kind, key=key)

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = self.value_for(model_instance)
        setattr(model_instance, self.attname, value)
        return value


def rebuild(model: type[models.Model], *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Write every row's blind indexes afresh with the first index key, in keyset batches
    (migrations, `rebuild_blind_indexes`); returns how many rows changed. Only the index
    columns are written, so the encrypted values stay exactly as stored."""
    fields = index_fields(model)
    if not fields:
        return 0
    manager = model._base_manager.using(using)
    sources = [field.source for field in fields]
    columns = [field.attname for field in fields]
    key = index_keys()[0]
    changed_rows = 0
    last_pk: Any = None
    while True:
        rows = manager.order_by("pk").only("pk", *sources, *columns)
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:BATCH_SIZE])
        if not batch:
            return changed_rows
        changed = [row for row in batch if _refresh(row, fields, key)]
        if changed:
            manager.bulk_update(changed, columns)
        changed_rows += len(changed)
        last_pk = batch[-1].pk


def _refresh(row: models.Model, fields: list["BlindIndexField"], key: bytes) -> bool:
    changed = False
    for field in fields:
        value = field.value_for(row, key=key)
        if value != getattr(row, field.attname):
            setattr(row, field.attname, value)
            changed = True
    return changed


def index_fields(model: type[models.Model]) -> list[BlindIndexField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, BlindIndexField)]


def index_field_for(model: type[models.Model], source: str) -> BlindIndexField:
    for field in index_fields(model):
        if field.source == source:
            return field
    raise LookupError(f"{model._meta.label}.{source} has no blind index.")


def matches(model: type[models.Model], source: str, text: str, *, path: str = "") -> Q:
    """Rows whose `source` field (on `model`, reached from the queried model through `path`,
    e.g. "peer__") holds every word of `text` (a name) or equals it (an address, a phone).

    Every configured key is tried, so a search finds rows whether or not `rebuild_blind_indexes`
    has reached them yet during a rotation. Nothing typed matches nothing.
    """
    field = index_field_for(model, source)
    return _every_value(field, normalised(text, field.kind), path)


def _every_value(field: BlindIndexField, values: list[str], path: str) -> Q:
    if not values:
        return Q(pk__in=[])
    found = Q()
    for value in values:
        found &= _any_key(f"{path}{field.attname}__{field.lookup}", field.label, value)
    return found


def _any_key(lookup: str, label: str, value: str) -> Q:
    either = Q()
    for key in index_keys():
        either |= Q(**{lookup: f" {token(key, label, value)} "})
    return either


def name_matches(
    text: str, *, plain: Iterable[str], blind: Iterable[tuple[type[models.Model], str, str]]
) -> Q:
    """A name search over plaintext and encrypted name fields: each typed word must be found
    in one of them, at the start of a plaintext field's value ("Mar" finds "Marie") or as whole
    words of an encrypted one ("gagnon-tremblay" finds "Gagnon-Tremblay"). `plain` are lookups
    ("peer__first_name"), `blind` are (model, field, path) triples such as
    (Peer, "last_name", "peer__"). Nothing typed matches every row."""
    typed = text.split()[:MAX_WORDS]
    plain, blind = list(plain), list(blind)
    found = Q()
    for typed_word in typed:
        either = Q()
        for lookup in plain:
            either |= Q(**{f"{lookup}__istartswith": typed_word})
        for model, source, path in blind:
            either |= _every_value(index_field_for(model, source), words(typed_word), path)
        found &= either
    return found
