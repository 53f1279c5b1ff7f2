"""The person's copy: everything held about a person asking for support, as one machine-readable
document (JSON) and a readable PDF: their details, their requests (with a referrer's additions),
the consents they gave, their matches (contacts, goals, check-ins, what happened, surveys and
their answers) and the messages sent to them.

Every field of each row is in it, read through the models (the encrypted fields decrypted),
except what is only machinery: the keyed search digests, survey links' tokens and messages'
idempotency keys, and the ids of other people's accounts. A supporter is named by first name
only: the copy is about the person, not about the people who helped them.
"""

import datetime as dt
import decimal
import json
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

from alongside.core.blind_index import BlindIndexField
from alongside.intake.models import Peer, Referral, SupportRequest
from alongside.matches.models import (
    CheckIn,
    ContactComment,
    ContactLog,
    Goal,
    GoalNote,
    Match,
    MatchEvent,
)
from alongside.notifications.models import OutboxMessage
from alongside.outcomes.models import Survey
from alongside.privacy.models import Consent

FORMAT = "alongside.person-copy/1"
# Machinery, not data about the person.
LEFT_OUT = {"token", "idempotency_key", "answers_fingerprint", "answers_window"}


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return str(value)


def row(instance: models.Model) -> dict[str, Any]:
    """Every field of one row, by name, the relations and machinery left out; a choice also
    with its label."""
    found: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.is_relation or isinstance(field, BlindIndexField) or field.name in LEFT_OUT:
            continue
        value = getattr(instance, field.attname)
        found[field.name] = _value(value)
        if field.choices and value not in (None, ""):
            found[f"{field.name}_label"] = str(getattr(instance, f"get_{field.name}_display")())
    return found


def messages_to(peer: Peer) -> list[OutboxMessage]:
    """The messages sent to the person's own e-mail or phone (compared decrypted)."""
    addresses = {str(a).strip().lower() for a in (peer.email, peer.phone) if str(a).strip()}
    if not addresses:
        return []
    return [
        message
        for message in OutboxMessage.objects.filter(program_id=peer.program_id).order_by(
            "created_at", "pk"
        )
        if str(message.to_address).strip().lower() in addresses
    ]


def _match(match: Match) -> dict[str, Any]:
    contacts = ContactLog.objects.filter(match=match).order_by("occurred_at", "pk")
    goals = Goal.objects.filter(match=match).order_by("pk")
    return {
        **row(match),
        "supporter": match.supporter.first_name if hasattr(match.supporter, "first_name") else "",
        "contacts": [
            {
                **row(contact),
                "comments": [
                    row(comment)
                    for comment in ContactComment.objects.filter(contact=contact).order_by("pk")
                ],
            }
            for contact in contacts
        ],
        "goals": [
            {
                **row(goal),
                "notes": [row(note) for note in GoalNote.objects.filter(goal=goal).order_by("pk")],
            }
            for goal in goals
        ],
        "check_ins": [row(c) for c in CheckIn.objects.filter(match=match).order_by("pk")],
        "events": [row(e) for e in MatchEvent.objects.filter(match=match).order_by("at", "pk")],
        "surveys": [
            {**row(survey), "instrument": str(survey.instrument)}
            for survey in Survey.objects.filter(match=match).order_by("sent_at", "pk")
        ],
    }


def _request(support_request: SupportRequest) -> dict[str, Any]:
    referral = Referral.objects.filter(request=support_request).first()
    return {
        **row(support_request),
        "referral": row(referral) if referral is not None else None,
        "matches": [
            _match(match)
            for match in Match.objects.filter(request=support_request)
            .select_related("supporter")
            .order_by("started_at", "pk")
        ],
    }


def copy_of(peer: Peer) -> dict[str, Any]:
    """Everything held about `peer`, as plain data."""
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "program": str(peer.program),
        "person": row(peer),
        "requests": [
            _request(support_request)
            for support_request in SupportRequest.objects.filter(peer=peer).order_by(
                "received_at", "pk"
            )
        ],
        "consents": [
            {**row(consent), "text": str(consent.text.text) if consent.text else None}
            for consent in Consent.objects.filter(Q(peer=peer) | Q(support_request__peer=peer))
            .select_related("text")
            .order_by("given_at", "pk")
        ],
        "messages": [row(message) for message in messages_to(peer)],
    }


def as_json(peer: Peer) -> bytes:
    return json.dumps(copy_of(peer), ensure_ascii=False, indent=2).encode()
