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
import operator
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from alongside.core import blind_index
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
LEFT_OUT = {"token", "idempotency_key", "answers_fingerprint", "answers_window", "submission_token"}


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


def sent_to_address_of(peer: Peer) -> list[OutboxMessage]:
    """The messages of the person's program sent to their own e-mail or phone, oldest first:
    found by the addresses' blind index (ADR 0006), never by decrypting the program's outbox."""
    addresses = [str(address) for address in (peer.email, peer.phone) if str(address).strip()]
    if not addresses:
        return []
    to_them = reduce(
        operator.or_,
        (blind_index.matches(OutboxMessage, "to_address", address) for address in addresses),
    )
    return list(
        OutboxMessage.objects.filter(to_them, program_id=peer.program_id).order_by(
            "created_at", "pk"
        )
    )


def _match(match: Match) -> dict[str, Any]:
    contacts = ContactLog.objects.filter(match=match).order_by("occurred_at", "pk")
    goals = Goal.objects.filter(match=match).order_by("pk")
    return {
        **row(match),
        "supporter": match.supporter.display_name,  # the name they know their supporter by
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
            .select_related("supporter__user")
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
        "messages": [row(message) for message in sent_to_address_of(peer)],
    }


def as_json(peer: Peer) -> bytes:
    return json.dumps(copy_of(peer), ensure_ascii=False, indent=2).encode()


@dataclass(frozen=True)
class Section:
    """One heading of the readable copy, and its items: each a list of (label, value)."""

    title: str
    items: list[list[tuple[str, str]]]


def _readable_row(instance: models.Model) -> list[tuple[str, str]]:
    found = []
    for field in instance._meta.concrete_fields:
        if field.is_relation or isinstance(field, BlindIndexField) or field.name in LEFT_OUT:
            continue
        if field.name in ("id",):
            continue
        value = getattr(instance, field.attname)
        if field.choices and value not in (None, ""):
            value = getattr(instance, f"get_{field.name}_display")()
        if value in (None, "", [], {}):
            continue
        if isinstance(value, dt.datetime):
            value = formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
        elif isinstance(value, dt.date):
            value = formats.date_format(value, "SHORT_DATE_FORMAT")
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        elif isinstance(value, list):
            value = ", ".join(str(item) for item in value)
        elif isinstance(value, dict):
            value = "; ".join(f"{key}: {item}" for key, item in value.items())
        found.append((str(field.verbose_name).capitalize(), str(value)))
    return found


def readable(peer: Peer) -> list[Section]:
    """The same as the machine-readable copy, as headed sections for the PDF, in the language
    active when called (the caller sets the person's)."""
    requests = list(SupportRequest.objects.filter(peer=peer).order_by("received_at", "pk"))
    matches = list(
        Match.objects.filter(request__peer=peer).select_related("supporter__user").order_by("pk")
    )
    referrals = list(Referral.objects.filter(request__in=requests))
    contacts = list(ContactLog.objects.filter(match__in=matches).order_by("occurred_at", "pk"))
    goals = list(Goal.objects.filter(match__in=matches).order_by("pk"))
    consents = Consent.objects.filter(Q(peer=peer) | Q(support_request__peer=peer))
    return [
        Section(_("About you"), [_readable_row(peer)]),
        Section(_("Your requests"), [_readable_row(r) for r in requests]),
        Section(_("What your referrer added"), [_readable_row(r) for r in referrals]),
        Section(_("What you agreed to"), [_readable_row(c) for c in consents.order_by("pk")]),
        Section(_("Your matches"), [_readable_row(m) for m in matches]),
        Section(_("Your contacts"), [_readable_row(c) for c in contacts]),
        Section(
            _("Comments on your contacts"),
            [_readable_row(c) for c in ContactComment.objects.filter(contact__in=contacts)],
        ),
        Section(_("Your goals"), [_readable_row(g) for g in goals]),
        Section(
            _("Progress on your goals"),
            [_readable_row(n) for n in GoalNote.objects.filter(goal__in=goals).order_by("pk")],
        ),
        Section(
            _("Check-ins"),
            [_readable_row(c) for c in CheckIn.objects.filter(match__in=matches).order_by("pk")],
        ),
        Section(
            _("What happened in your matches"),
            [_readable_row(e) for e in MatchEvent.objects.filter(match__in=matches).order_by("pk")],
        ),
        Section(
            _("Your questionnaires"),
            [_readable_row(s) for s in Survey.objects.filter(match__in=matches).order_by("pk")],
        ),
        Section(_("Messages sent to you"), [_readable_row(m) for m in sent_to_address_of(peer)]),
    ]


def as_pdf(peer: Peer) -> bytes:
    """The readable copy as a tagged PDF (PDF/UA-1), in the person's language; nothing is
    fetched (WeasyPrint allowed only `data:` addresses, as the funder report)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    language = "fr" if str(peer.language).lower().startswith("fr") else "en"
    with translation.override("fr-ca" if language == "fr" else "en"):
        title = _("Everything Alongside holds about you")
        html = render_to_string(
            "privacy/person_copy_pdf.html",
            {
                "title": title,
                "language": "fr-CA" if language == "fr" else "en",
                "sections": readable(peer),
                "program": str(peer.program),
                "today": formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT"),
            },
        )
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_variant="pdf/ua-1")  # type: ignore[no-any-return]
