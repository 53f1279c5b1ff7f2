"""Erasing a person: a canary put in every personal field of theirs is found nowhere afterwards
(no table, decrypted or raw, no log line, no message), the program's counts are the same; a hold
or something still open refuses it. The person's copy holds every one of those canaries."""

import datetime as dt
import itertools
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.db import connection, models
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.blind_index import BlindIndexField
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.models import Peer, Referral, RequestStatus, SupportRequest
from alongside.matches.factories import CheckInFactory, ContactLogFactory, GoalFactory, MatchFactory
from alongside.matches.models import (
    ContactComment,
    ContactLog,
    Goal,
    GoalNote,
    Match,
    MatchEvent,
    MatchEventKind,
    MatchStatus,
)
from alongside.matching.models import Conflict, Proposal
from alongside.notifications.models import (
    Channel,
    MessageStatus,
    OutboxMessage,
    UndeliverableAddress,
)
from alongside.outcomes.factories import SurveyFactory
from alongside.outcomes.models import Survey
from alongside.privacy import erasure, person_copy, services
from alongside.privacy.models import Consent
from alongside.privacy.tests.conftest import ask
from alongside.programs.models import Program
from alongside.reports.figures.matches import matches_by_month
from alongside.reports.figures.requests import request_counts
from alongside.reports.periods import Period
from alongside.safety.models import Escalation, EscalationEvent, EventKind, Urgency
from alongside.supporters.factories import SupporterFactory

CANARY = "Canary-Xochiquetzal"
# Machinery, codes and links: never the person's words.
NOT_PERSONAL = {
    "token",
    "idempotency_key",
    "answers_fingerprint",
    "link",
    "last_error",
    "kind",
    "digest",
    "submission_token",
    "provider_message_id",
}


@dataclass
class Person:
    peer: Peer
    request: SupportRequest
    match: Match
    canaries: list[str]


def _text_fields(instance: models.Model) -> Iterator[models.Field[Any, Any]]:
    for field in instance._meta.concrete_fields:
        if field.is_relation or field.choices or isinstance(field, BlindIndexField):
            continue
        if field.name in NOT_PERSONAL:
            continue
        if (
            field.get_internal_type() in ("CharField", "TextField")
            or "Encrypted" in type(field).__name__
        ):
            yield field


def _fill(instance: models.Model, counter: Iterator[int], canaries: list[str]) -> None:
    """A distinct canary in every free-text field of one row; saved through the model, so the
    encrypted fields are encrypted and the search digests computed."""
    for field in _text_fields(instance):
        value = f"{CANARY}{next(counter)}"
        if field.name == "email" or field.name == "to_address":
            value = f"{value.lower()}@example.org"
        canaries.append(value)
        setattr(instance, field.attname, value)
    instance.save()


def a_person(program: Program) -> Person:
    """A person whose request and match are closed, with every kind of record about them, and
    a canary in every free-text field of each."""
    counter = itertools.count(1)
    canaries: list[str] = []
    support_request = ask(program, surveys=True)
    peer = support_request.peer
    _fill(peer, counter, canaries)
    supporter = SupporterFactory(program=program)
    match = MatchFactory(program=program, supporter=supporter, request=support_request)
    support_request.refresh_from_db()
    _fill(support_request, counter, canaries)
    rows: list[models.Model] = [
        Referral.objects.create(request=support_request, goals="x"),
        match,
        ContactLogFactory(match=match),
        CheckInFactory(match=match),
        GoalFactory(match=match),
        MatchEvent.objects.create(match=match, kind=MatchEventKind.PAUSED, at=timezone.now()),
        Proposal.objects.create(
            program=program, request=support_request, supporter=supporter, score=1
        ),
        Conflict.objects.create(program=program, peer=peer, supporter=supporter),
    ]
    for row in rows:
        _fill(row, counter, canaries)
    contact = ContactLog.objects.get(match=match)
    _fill(ContactComment.objects.create(contact=contact, body="x"), counter, canaries)
    goal = Goal.objects.get(match=match)
    _fill(GoalNote.objects.create(goal=goal, note="x", status=goal.status), counter, canaries)
    escalation = Escalation.objects.create(
        program=program,
        match=match,
        support_request=support_request,
        urgency=Urgency.BEYOND_ROLE,
        what_happened="x",
    )
    _fill(escalation, counter, canaries)
    _fill(
        EscalationEvent.objects.create(escalation=escalation, kind=EventKind.RAISED),
        counter,
        canaries,
    )
    survey = SurveyFactory(match=match)
    survey.answers = {"q1": f"{CANARY}{next(counter)}"}
    canaries.append(survey.answers["q1"])
    survey.save()
    peer.refresh_from_db()
    to_them = OutboxMessage.objects.create(
        program=program,
        channel=Channel.EMAIL,
        to_address=str(peer.email),
        subject="x",
        body="x",
        idempotency_key="erasure-to-them",
        status=MessageStatus.SENT,
    )
    _fill(to_them, counter, canaries)
    canaries.remove(str(to_them.to_address))  # sent to their own address, as below
    to_them.to_address = str(peer.email)
    to_them.save()
    # Their address bounced: the mark holds it (the canary is in the address itself).
    UndeliverableAddress.objects.create(
        program=program, channel=Channel.EMAIL, address=str(peer.email), problem="bounced"
    )
    about_them = OutboxMessage.objects.filter(link__contains=f"/{support_request.pk}/").first()
    if about_them is not None:
        about_them.body = f"{CANARY}{next(counter)}"
        about_them.save()
    # Closed, as erasing needs.
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.CLOSED, closed_at=timezone.now())
    SupportRequest.objects.filter(pk=support_request.pk).update(status=RequestStatus.CLOSED)
    return Person(peer=peer, request=support_request, match=match, canaries=canaries)


def where_the_canary_is() -> list[str]:
    """Every model's every column, read through the model (the encrypted ones decrypted), and
    every table raw."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for instance in model._base_manager.all():
            for field in model._meta.concrete_fields:
                if CANARY.lower() in str(getattr(instance, field.attname)).lower():
                    found.append(f"{model._meta.label}.{field.name}")
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            if CANARY.lower() in str(cursor.fetchall()).lower():
                found.append(f"table {table}")
    return sorted(set(found))


@pytest.fixture
def person(program_a: Program) -> Person:
    return a_person(program_a)


def test_the_fixture_puts_the_canary_everywhere(person: Person) -> None:
    places = where_the_canary_is()
    for expected in (
        "intake.Peer.first_name",
        "intake.Peer.last_name",
        "intake.Peer.email",
        "intake.SupportRequest.about",
        "matches.ContactLog.note",
        "notifications.OutboxMessage.body",
        "notifications.UndeliverableAddress.address",
        "outcomes.Survey.answers",
    ):
        assert expected in places


def test_erasing_leaves_the_canary_nowhere_and_the_counts_unchanged(
    person: Person, program_a: Program, coordinator_a: User, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    today = timezone.localdate()
    period = Period(start=today - dt.timedelta(days=400), end=today + dt.timedelta(days=1))
    now = timezone.now()

    def counts() -> Any:
        return (
            request_counts(programs=[program_a], period=period, now=now),
            matches_by_month(programs=[program_a], period=period),
            {
                m._meta.label: m._base_manager.count()
                for m in apps.get_models()
                if m._meta.label not in ("core.AuditEvent", "privacy.Deidentified")
            },
        )

    before = counts()
    held = erasure.erase_person(peer=person.peer, by=coordinator_a)

    assert where_the_canary_is() == []
    assert CANARY.lower() not in caplog.text.lower()
    assert counts() == before
    peer = Peer.objects.get(pk=person.peer.pk)
    assert not any((peer.last_name_index, peer.email_index, peer.phone_index))
    assert held.requests == 1
    assert held.matches == 1
    assert held.messages >= 1
    event = AuditEvent.objects.get(action="privacy.person.erased")
    assert event.data == held.as_data()


def test_a_hold_refuses_erasure(person: Person, coordinator_a: User) -> None:
    services.place_legal_hold(by=coordinator_a, reason="A claim.", peer=person.peer)
    with pytest.raises(DomainError, match="legal hold"):
        erasure.erase_person(peer=person.peer, by=coordinator_a)
    assert Peer.objects.get(pk=person.peer.pk).first_name.startswith(CANARY)
    assert not AuditEvent.objects.filter(action="privacy.person.erased").exists()


def test_a_hold_on_their_match_refuses_erasure(person: Person, coordinator_a: User) -> None:
    services.place_legal_hold(by=coordinator_a, reason="A claim.", match=person.match)
    with pytest.raises(DomainError, match="legal hold"):
        erasure.erase_person(peer=person.peer, by=coordinator_a)


def test_an_open_request_or_match_refuses_erasure(person: Person, coordinator_a: User) -> None:
    Match.objects.filter(pk=person.match.pk).update(status=MatchStatus.ACTIVE)
    with pytest.raises(DomainError, match="matches is still open"):
        erasure.erase_person(peer=person.peer, by=coordinator_a)
    Match.objects.filter(pk=person.match.pk).update(status=MatchStatus.CLOSED)
    SupportRequest.objects.filter(pk=person.request.pk).update(status=RequestStatus.NEW)
    with pytest.raises(DomainError, match="requests is still open"):
        erasure.erase_person(peer=person.peer, by=coordinator_a)


def test_the_copy_holds_every_canary(person: Person) -> None:
    document = person_copy.as_json(person.peer).decode()
    copy = json.loads(document)
    personal = [
        c
        for c in person.canaries
        # Staff's own notes about the person are not theirs to take away; everything they
        # told, and everything written about their support, is.
        if c not in _staff_only(person)
    ]
    missing = [c for c in personal if c not in document]
    assert missing == []
    assert copy["format"] == person_copy.FORMAT
    assert copy["person"]["first_name"].startswith(CANARY)
    assert len(copy["requests"][0]["matches"][0]["contacts"]) == 1
    # Their supporter, by the name the person knows them by.
    assert copy["requests"][0]["matches"][0]["supporter"] == person.match.supporter.display_name
    assert copy["consents"]
    assert copy["messages"]


def _staff_only(person: Person) -> set[str]:
    """The canaries in what the copy leaves out: coordinators' notes about supporters, escalations
    and legal holds, proposals' reasons."""
    left_out: set[str] = set()
    for instance in [
        *Conflict.objects.filter(peer=person.peer),
        *Proposal.objects.filter(request=person.request),
        *Escalation.objects.filter(match=person.match),
        *EscalationEvent.objects.filter(escalation__match=person.match),
    ]:
        left_out.update(str(getattr(instance, f.attname)) for f in _text_fields(instance))
    return left_out


def test_consents_stay_counted(person: Person, coordinator_a: User) -> None:
    before = Consent.objects.filter(peer=person.peer).count()
    assert before
    erasure.erase_person(peer=person.peer, by=coordinator_a)
    assert Consent.objects.filter(peer=person.peer).count() == before
    assert Survey.objects.filter(match=person.match).count() == 1


def test_messages_to_their_address_are_found_by_its_index_in_their_program_only(
    person: Person, program_b: Program
) -> None:
    peer = person.peer
    written_otherwise = OutboxMessage.objects.create(
        program=peer.program,
        channel=Channel.EMAIL,
        to_address=f"  {str(peer.email).upper()} ",
        subject="x",
        body="x",
        idempotency_key="erasure-to-them-typed-otherwise",
        status=MessageStatus.SENT,
    )
    elsewhere = OutboxMessage.objects.create(
        program=program_b,
        channel=Channel.EMAIL,
        to_address=str(peer.email),
        subject="x",
        body="x",
        idempotency_key="erasure-to-them-elsewhere",
        status=MessageStatus.SENT,
    )

    found = {message.pk for message in person_copy.sent_to_address_of(peer)}

    assert written_otherwise.pk in found
    assert elsewhere.pk not in found
