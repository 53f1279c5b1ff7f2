"""Encryption of sensitive fields with a key list kept apart from SECRET_KEY.

The first key encrypts; every key decrypts. Rotation adds a new key first, re-encrypts every
row (`manage.py rotate_field_keys`) and then retires the old key. A stored value that no key
opens is never shown as ciphertext: the field reads it as an `UnreadableValue`, which shows as
"cannot be read: key missing" and is written back unchanged, so one such row takes no page down
and loses nothing. `manage.py list_unreadable_fields` finds those rows.
"""

import base64
import binascii
import logging
from functools import cache
from typing import Any, Self

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

logger = logging.getLogger(__name__)


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


class UnreadableValue(str):
    """A stored value that no configured key opens.

    As text it is the translated "cannot be read: key missing", never the ciphertext, so pages,
    exports and API answers show the marker and go on. The ciphertext is kept aside so that the
    field writes it back unchanged: saving the row cannot overwrite it.
    """

    unreadable = True
    token: str

    def __new__(cls, token: str) -> Self:
        value = super().__new__(cls, gettext("cannot be read: key missing"))
        value.token = token
        return value

    def __reduce_ex__(self, protocol: Any) -> tuple[Any, ...]:
        # Copies and pickles (cached rows, deep-copied instances) are rebuilt from the
        # ciphertext, never from the marker text.
        return (type(self), (self.token,))

    def __repr__(self) -> str:
        return "<UnreadableValue>"


def is_unreadable(value: object) -> bool:
    return isinstance(value, UnreadableValue)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "ALONGSIDE_FIELD_KEYS is empty: sensitive fields cannot be read."
        )
    return MultiFernet([Fernet(key.encode()) for key in keys])


def current_fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return current_fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return current_fernet().decrypt(token.encode()).decode()
    except InvalidToken as error:
        raise FieldDecryptionError(
            "A sensitive field could not be decrypted with the configured keys."
        ) from error


# A Fernet token is version (1 byte, 0x80), time (8), IV (16), ciphertext (n x 16), HMAC (32).
TOKEN_VERSION = 0x80
SHORTEST_TOKEN = 1 + 8 + 16 + 16 + 32


def is_token(value: str) -> bool:
    """Whether `value` has the shape of a Fernet token (whether or not any key opens it)."""
    try:
        raw = base64.urlsafe_b64decode(value.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error, ValueError):
        return False
    return (
        len(raw) >= SHORTEST_TOKEN
        and raw[0] == TOKEN_VERSION
        and (len(raw) - SHORTEST_TOKEN) % 16 == 0
    )


def decrypt_or_mark(token: str, *, where: str) -> str:
    """The plaintext, or an UnreadableValue (logged, naming `where` but never the value)."""
    try:
        return decrypt(token)
    except FieldDecryptionError:
        logger.warning(
            "%s: a stored value cannot be read with ALONGSIDE_FIELD_KEYS; "
            "`manage.py list_unreadable_fields` lists every such row.",
            where,
        )
        return UnreadableValue(token)


def is_valid_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True
