"""Retention: the dry run lists what the real run then removes; a legal hold keeps it; the rows
stay for the reports, only the personal data goes; one failing item never stops the others."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from alongside.accounts.models import User
from alongside.core.errors import DomainError
from alongside.core.models import AuditEvent
from alongside.intake.factories import SupportRequestFactory
from alongside.intake.models import Peer, RequestStatus, SupportRequest
from alongside.matches.factories import CheckInFactory, ContactLogFactory, GoalFactory, MatchFactory
from alongside.matches.models import ContactLog, Goal, Match, MatchStatus
from alongside.notifications.models import Channel, MessageStatus, OutboxMessage
from alongside.privacy import retention, services
from alongside.privacy.models import MINIMUM_MONTHS, Deidentified, LegalHold, RetentionKind
from alongside.programs.models import Experience, Program
from alongside.reports.figures.matches import matches_by_month
from alongside.reports.figures.requests import request_counts
from alongside.reports.periods import Period
from alongside.supporters.factories import ApplicationFactory, SupporterFactory
from alongside.supporters.models import Application

TODAY = dt.date(2026, 12, 1)
LONG_AGO = dt.datetime(2018, 3, 14, 15, tzinfo=dt.UTC)  # past 84 months
LATELY = dt.datetime(2026, 6, 1, 15, tzinfo=dt.UTC)  # within 12 months
CANARY = "Canary-Quetzalcoatl"


@dataclass
class Old:
    """A program's records: the old ones past their time, and recent ones that stay."""

    request: SupportRequest
    match: Match
    application: Application
    message: OutboxMessage
    event: AuditEvent
    recent_request: SupportRequest
    recent_application: Application


def closed_long_ago(program: Program, experience: Experience, when: dt.datetime) -> Match:
    """A match and its request, closed at `when`, with a contact, a goal and a check-in that
    hold the canary in their words."""
    match = MatchFactory(
        program=program,
        supporter=SupporterFactory(program=program),
        request__experience=experience,
        request__about=f"{CANARY} about",
        request__peer__first_name=CANARY,
        request__peer__email=f"{CANARY.lower()}@example.org",
        closure_note=f"{CANARY} closing",
    )
    ContactLogFactory(match=match, note=f"{CANARY} note", occurred_at=when)
    GoalFactory(match=match, description=f"{CANARY} goal")
    CheckInFactory(match=match, notes=f"{CANARY} check-in")
    Match.objects.filter(pk=match.pk).update(
        status=MatchStatus.CLOSED, started_at=when - dt.timedelta(days=90), closed_at=when
    )
    SupportRequest.objects.filter(pk=match.request_id).update(
        status=RequestStatus.CLOSED, received_at=when - dt.timedelta(days=100), updated_at=when
    )
    match.refresh_from_db()
    return match


def records(program: Program, experience: Experience) -> Old:
    match = closed_long_ago(program, experience, LONG_AGO)
    application = ApplicationFactory(program=program, first_name=CANARY)
    Application.objects.filter(pk=application.pk).update(submitted_at=LONG_AGO)
    recent_application = ApplicationFactory(program=program)
    message = OutboxMessage.objects.create(
        program=program,
        channel=Channel.EMAIL,
        to_address="someone@example.org",
        body=f"{CANARY} message",
        idempotency_key="retention-old",
        status=MessageStatus.SENT,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=LONG_AGO)
    event = AuditEvent.objects.create(
        action="intake.request.viewed", target_type="x.y", target_id="1", program=program
    )
    AuditEvent.objects.filter(pk=event.pk).update(occurred_at=LONG_AGO)
    recent_request = SupportRequestFactory(program=program, status=RequestStatus.CLOSED)
    return Old(
        request=match.request,
        match=match,
        application=application,
        message=message,
        event=event,
        recent_request=recent_request,
        recent_application=recent_application,
    )


@pytest.fixture
def old(program_a: Program, ms: Experience) -> Old:
    return records(program_a, ms)


def due_ids(program: Program) -> dict[RetentionKind, list[int]]:
    return dict(retention.due(program, TODAY).items)


def test_the_dry_run_lists_exactly_what_the_real_run_then_removes(
    program_a: Program, old: Old
) -> None:
    dry = retention.apply(program_a, TODAY, dry_run=True)
    listed = due_ids(program_a)
    assert listed[RetentionKind.REQUESTS] == [old.request.pk]
    assert listed[RetentionKind.MATCHES] == [old.match.pk]
    assert listed[RetentionKind.APPLICATIONS] == [old.application.pk]
    assert listed[RetentionKind.MESSAGES] == [old.message.pk]
    assert listed[RetentionKind.AUDIT_EVENTS] == [old.event.pk]
    assert Deidentified.objects.count() == 0  # the dry run changed nothing
    assert OutboxMessage.objects.filter(pk=old.message.pk).exists()

    real = retention.apply(program_a, TODAY)

    assert real.done == dry.done == dict.fromkeys(RetentionKind, 1)
    assert set(Deidentified.objects.values_list("kind", "object_id")) == {
        (RetentionKind.REQUESTS, old.request.pk),
        (RetentionKind.MATCHES, old.match.pk),
        (RetentionKind.APPLICATIONS, old.application.pk),
    }
    assert not OutboxMessage.objects.filter(pk=old.message.pk).exists()
    assert not AuditEvent.objects.filter(pk=old.event.pk).exists()
    assert all(not ids for ids in due_ids(program_a).values())  # nothing is left, nor redone
    assert retention.apply(program_a, TODAY).total == 0


def test_the_personal_data_is_gone_and_the_rows_stay(program_a: Program, old: Old) -> None:
    retention.apply(program_a, TODAY)

    request_ = SupportRequest.objects.get(pk=old.request.pk)
    peer = Peer.objects.get(pk=request_.peer_id)
    match = Match.objects.get(pk=old.match.pk)
    application = Application.objects.get(pk=old.application.pk)
    assert (peer.first_name, peer.last_name, peer.email, peer.phone) == ("", "", "", "")
    assert (peer.email_index, peer.last_name_index, peer.phone_index) == ("", "", "")
    assert request_.about == request_.preferences == ""
    assert (request_.status, request_.program_id) == (RequestStatus.CLOSED, program_a.pk)
    assert request_.received_at == LONG_AGO - dt.timedelta(days=100)
    assert (match.status, match.closed_at, match.closure_note) == (
        MatchStatus.CLOSED,
        LONG_AGO,
        "",
    )
    contact = ContactLog.objects.get(match=match)
    assert (contact.note, contact.minutes, contact.occurred_at) == ("", 45, LONG_AGO)
    assert Goal.objects.get(match=match).description == ""
    assert match.checkins.get().notes == ""
    assert (application.first_name, application.email, application.date_of_birth) == ("", "", "")
    assert application.submitted_at == LONG_AGO
    # The recent ones keep everything.
    assert Peer.objects.get(pk=old.recent_request.peer_id).first_name
    assert Application.objects.get(pk=old.recent_application.pk).email


def test_each_item_leaves_one_audit_event_without_personal_data(
    program_a: Program, old: Old
) -> None:
    retention.apply(program_a, TODAY)

    events = AuditEvent.objects.filter(action__startswith="privacy.retention.")
    assert sorted((event.action, event.target_type) for event in events) == [
        ("privacy.retention.deidentified", "intake.supportrequest"),
        ("privacy.retention.deidentified", "matches.match"),
        ("privacy.retention.deidentified", "supporters.application"),
        ("privacy.retention.deleted", "notifications.outboxmessage"),
        ("privacy.retention.deleted", "programs.program"),
    ]
    assert CANARY not in str(list(events.values_list("data", flat=True)))
    assert all(event.actor_id is None and event.program_id == program_a.pk for event in events)


def test_the_programs_report_counts_are_the_same_after(
    program_a: Program, old: Old, ms: Experience
) -> None:
    closed_long_ago(program_a, ms, LONG_AGO + dt.timedelta(days=40))
    period = Period(start=dt.date(2017, 1, 1), end=dt.date(2018, 12, 31))
    now = timezone.now()

    def counts() -> Any:
        return (
            request_counts(programs=[program_a], period=period, now=now),
            matches_by_month(programs=[program_a], period=period),
        )

    before = counts()
    assert retention.apply(program_a, TODAY).done[RetentionKind.MATCHES] == 2
    assert counts() == before


def test_a_hold_on_the_person_keeps_their_request_match_and_events_until_it_is_lifted(
    program_a: Program, coordinator_a: User, old: Old
) -> None:
    peer = Peer.objects.get(pk=old.request.peer_id)
    AuditEvent.objects.filter(pk=old.event.pk).update(
        target_type="intake.supportrequest", target_id=str(old.request.pk)
    )
    hold = services.place_legal_hold(by=coordinator_a, reason="A complaint is open.", peer=peer)

    listed = due_ids(program_a)
    assert listed[RetentionKind.REQUESTS] == listed[RetentionKind.MATCHES] == []
    assert listed[RetentionKind.AUDIT_EVENTS] == []
    retention.apply(program_a, TODAY)
    assert Peer.objects.get(pk=peer.pk).first_name == CANARY
    assert Match.objects.get(pk=old.match.pk).closure_note == f"{CANARY} closing"
    assert AuditEvent.objects.filter(pk=old.event.pk).exists()

    services.lift_legal_hold(hold=hold, by=coordinator_a, reason="The complaint is settled.")
    assert retention.apply(program_a, TODAY).done[RetentionKind.REQUESTS] == 1
    assert Peer.objects.get(pk=peer.pk).first_name == ""
    assert Match.objects.get(pk=old.match.pk).closure_note == ""


def test_a_hold_on_a_match_keeps_the_match_and_its_person(
    program_a: Program, coordinator_a: User, old: Old
) -> None:
    services.place_legal_hold(by=coordinator_a, reason="A claim.", match=old.match)

    outcome = retention.apply(program_a, TODAY)

    assert outcome.done[RetentionKind.MATCHES] == outcome.done[RetentionKind.REQUESTS] == 0
    assert outcome.done[RetentionKind.APPLICATIONS] == 1  # the rest still goes
    assert Peer.objects.get(pk=old.request.peer_id).first_name == CANARY


def test_placing_and_lifting_a_hold_are_audited_without_the_reason(
    coordinator_a: User, old: Old
) -> None:
    hold = services.place_legal_hold(by=coordinator_a, reason=f"{CANARY} sued.", match=old.match)
    with pytest.raises(DomainError):
        services.place_legal_hold(by=coordinator_a, reason="Again.", match=old.match)
    services.lift_legal_hold(hold=hold, by=coordinator_a, reason="Settled.")
    with pytest.raises(DomainError):
        services.lift_legal_hold(hold=hold, by=coordinator_a, reason="Settled.")

    hold.refresh_from_db()
    assert (hold.placed_by, hold.lifted_by, hold.in_force) == (coordinator_a, coordinator_a, False)
    events = AuditEvent.objects.filter(action__startswith="privacy.hold.").order_by("pk")
    assert [event.action for event in events] == ["privacy.hold.placed", "privacy.hold.lifted"]
    assert CANARY not in str([event.data for event in events])


def test_a_hold_needs_a_reason(coordinator_a: User, old: Old) -> None:
    with pytest.raises(DomainError):
        services.place_legal_hold(by=coordinator_a, reason="  ", match=old.match)
    assert not LegalHold.objects.exists()


def test_open_requests_and_matches_are_never_due(
    program_a: Program, ms: Experience, old: Old
) -> None:
    match = closed_long_ago(program_a, ms, LONG_AGO)
    Match.objects.filter(pk=match.pk).update(status=MatchStatus.ACTIVE, closed_at=None)
    SupportRequest.objects.filter(pk=match.request_id).update(status=RequestStatus.MATCHED)

    listed = due_ids(program_a)

    assert match.pk not in listed[RetentionKind.MATCHES]
    assert match.request_id not in listed[RetentionKind.REQUESTS]


def test_a_longer_retention_keeps_what_the_default_would_remove(
    program_a: Program, coordinator_a: User, old: Old
) -> None:
    services.set_retention(program=program_a, by=coordinator_a, months={"matches": 120})

    assert due_ids(program_a)[RetentionKind.MATCHES] == []
    assert AuditEvent.objects.filter(action="privacy.retention.changed").count() == 1


@pytest.mark.parametrize("months", [0, MINIMUM_MONTHS - 1, 1201])
def test_nobody_sets_a_retention_outside_the_limits(
    program_a: Program, coordinator_a: User, months: int
) -> None:
    with pytest.raises(DomainError):
        services.set_retention(program=program_a, by=coordinator_a, months={"messages": months})


def test_an_item_that_fails_does_not_stop_the_others(
    program_a: Program, ms: Experience, old: Old, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    second = closed_long_ago(program_a, ms, LONG_AGO)
    real = retention.deidentify_match

    def failing_on_the_first(*, match: Match) -> None:
        if match.pk == old.match.pk:
            raise RuntimeError(f"{CANARY} in a message")
        real(match=match)

    monkeypatch.setattr(retention, "deidentify_match", failing_on_the_first)

    outcome = retention.apply(program_a, TODAY)

    assert outcome.failed[RetentionKind.MATCHES] == [old.match.pk]
    assert outcome.done[RetentionKind.MATCHES] == 1
    assert outcome.done[RetentionKind.REQUESTS] == 2
    assert Match.objects.get(pk=second.pk).closure_note == ""
    assert Match.objects.get(pk=old.match.pk).closure_note == f"{CANARY} closing"
    assert not Deidentified.objects.filter(kind=RetentionKind.MATCHES, object_id=old.match.pk)
    assert CANARY not in caplog.text  # logged by id only
    assert f"#{old.match.pk}" in caplog.text


def test_another_programs_records_are_left_alone(
    program_a: Program, program_b: Program, ms: Experience, old: Old
) -> None:
    other = closed_long_ago(program_b, ms, LONG_AGO)

    retention.apply(program_a, TODAY)

    assert Match.objects.get(pk=other.pk).closure_note == f"{CANARY} closing"
    assert Peer.objects.get(pk=other.request.peer_id).first_name == CANARY
