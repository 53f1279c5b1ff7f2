"""Encryption of sensitive fields with a key list kept apart from SECRET_KEY.

The first key encrypts; every key decrypts. Rotation adds a new key first, re-encrypts every
row (`manage.py rotate_field_keys`) and then retires the old key. A value that no key opens is
an error, never shown as ciphertext.
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class FieldDecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


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


def is_valid_key(key: str) -> bool:
    try:
        Fernet(key.encode())
    except (ValueError, TypeError):
        return False
    return True
