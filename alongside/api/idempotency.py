"""`Idempotency-Key` on every POST (ADR 0015).

The first request with a key is answered and its response kept a day under the caller (a token
or a person); the same key sent again with the same body gets that response again, with
`Idempotent-Replayed: true`, and nothing is done twice. The same key with another body is a 422
problem; while the first is still being answered, a 409. A request that fails releases its key,
so the caller can correct it and send it again with the same key.
"""

import datetime as dt
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema
from ninja.responses import NinjaJSONEncoder

from alongside.api.auth import Caller
from alongside.api.models import IdempotencyKey
from alongside.api.problems import ProblemError

KEPT_FOR = dt.timedelta(hours=24)
# A first request not answered after this long is taken to have died with its server.
ABANDONED_AFTER = dt.timedelta(minutes=2)
HEADER = "Idempotency-Key"
MOST_KEY_LENGTH = 255
_STILL_ANSWERING = gettext_lazy(
    "A request with this Idempotency-Key is still being answered. Try again."
)
_NAMESPACE = uuid.UUID("5c0d5f0e-4c83-4c43-9c59-2a1f5d7f3a10")


def request_hash(operation: str, payload: Schema) -> str:
    body = json.dumps(payload.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{operation}\n{body}".encode()).hexdigest()


def submission_token(caller: Caller, key: str) -> uuid.UUID:
    """The services' own once-only token for this key and caller: the same each replay."""
    return uuid.uuid5(_NAMESPACE, f"{caller.owner}:{key}")


def answered_once(
    *,
    caller: Caller,
    key: str,
    operation: str,
    payload: Schema,
    answer: Callable[[], tuple[int, Schema]],
) -> HttpResponse:
    """`answer()`'s response, or the one the same key got before."""
    key = key.strip()
    if not key or len(key) > MOST_KEY_LENGTH:
        raise ProblemError(400, _("Send an Idempotency-Key header of 1 to 255 characters."))
    fingerprint = request_hash(operation, payload)
    kept = _claim(caller, key, operation, fingerprint)
    if kept is not None:
        return _replay(kept, fingerprint)
    try:
        status, body = answer()
    except BaseException:
        IdempotencyKey.objects.filter(owner=caller.owner, key=key).delete()
        raise
    content = body.model_dump(mode="json")
    IdempotencyKey.objects.filter(owner=caller.owner, key=key).update(
        status_code=status, response_body=json.dumps(content)
    )
    return _json(content, status)


def _claim(caller: Caller, key: str, operation: str, fingerprint: str) -> IdempotencyKey | None:
    """None when this request holds the key now; else the row kept for it."""
    now = timezone.now()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                owner=caller.owner,
                key=key,
                operation=operation,
                request_hash=fingerprint,
                created_at=now,
            )
    except IntegrityError:
        kept = IdempotencyKey.objects.filter(owner=caller.owner, key=key).first()
        if kept is None:  # the first request failed and let its key go just now
            raise ProblemError(409, str(_STILL_ANSWERING)) from None
        if _abandoned(kept, fingerprint, now) and _take_over(kept, now):
            return None
        return kept
    return None


def _abandoned(kept: IdempotencyKey, fingerprint: str, now: dt.datetime) -> bool:
    """A key whose first request never finished (its server stopped): the same request may
    take it over, and the service's own submission token still records it once."""
    return (
        kept.status_code == 0
        and kept.request_hash == fingerprint
        and kept.created_at < now - ABANDONED_AFTER
    )


def _take_over(kept: IdempotencyKey, now: dt.datetime) -> bool:
    return bool(
        IdempotencyKey.objects.filter(pk=kept.pk, status_code=0, created_at=kept.created_at).update(
            created_at=now
        )
    )


def _json(content: Any, status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(content, cls=NinjaJSONEncoder), status=status, content_type="application/json"
    )


def _replay(kept: IdempotencyKey, fingerprint: str) -> HttpResponse:
    if kept.request_hash != fingerprint:
        raise ProblemError(422, _("This Idempotency-Key was used with another request."))
    if kept.status_code == 0:
        raise ProblemError(409, str(_STILL_ANSWERING))
    content: Any = json.loads(kept.response_body)
    response = _json(content, kept.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def forget_old_keys(now: dt.datetime) -> int:
    """Delete the keys kept past a day; how many went."""
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=now - KEPT_FOR).delete()
    return deleted
