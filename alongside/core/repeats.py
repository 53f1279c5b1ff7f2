"""Recognising one person's same answers sent again, whatever the form's submission token says.

Back, then Send, posts the typed answers a second time under a new submission token. A public
form therefore also stores a fingerprint of who is asking and what they wrote, with the number
of the time window it arrived in: a unique constraint on (fingerprint, window) keeps two posts
at once to one row, and a look at this window and the one before finds a repeat sent up to
REPEAT_WINDOW later.

The fingerprint is an HMAC under a key derived from the field keys, never SECRET_KEY, so the
stored digest gives away nothing of the encrypted contact details it stands for. After a key
rotation, a repeat of an answer sent just before it is no longer recognised: at worst one
duplicate, never a lost form.
"""

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REPEAT_WINDOW = dt.timedelta(minutes=30)
FINGERPRINT_LENGTH = 64


def fingerprint(purpose: str, *parts: object) -> str:
    """A keyed digest of `parts` for `purpose`; equal for answers that differ only in case or
    spacing, so a browser's restored text or a retyped e-mail address still matches."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("ALONGSIDE_FIELD_KEYS is empty: forms cannot be fingerprinted.")
    key = hashlib.sha256(f"alongside.repeats:{keys[0]}".encode()).digest()
    text = "\x1f".join([purpose, *(" ".join(str(part).split()).casefold() for part in parts)])
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def window_of(moment: dt.datetime) -> int:
    """The number of the REPEAT_WINDOW-long stretch of time that `moment` falls in."""
    return int(moment.timestamp() // REPEAT_WINDOW.total_seconds())


def windows_to_search(moment: dt.datetime) -> tuple[int, int]:
    """The windows that may hold a copy sent less than REPEAT_WINDOW before `moment`."""
    current = window_of(moment)
    return (current - 1, current)
