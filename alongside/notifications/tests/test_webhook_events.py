"""The domains tell a program's endpoints of their events, in the same transaction as the event:
a request received, a match started and closed, an escalation raised and acknowledged."""

import json
import uuid

import pytest

from alongside.intake import services as intake
from alongside.intake.models import Source
from alongside.matches.services import closure, lifecycle
from alongside.notifications.models import Channel, OutboxMessage
from alongside.notifications.webhooks import services as webhooks
from alongside.notifications.webhooks.events import declared_events
from alongside.programs.models import ContactMethod, Language, Relationship
from alongside.safety.models import Urgency
from alongside.safety.services import escalations

EVERY_EVENT = [
    "intake.request.received",
    "matches.match.started",
    "matches.match.closed",
    "safety.escalation.raised",
    "safety.escalation.acknowledged",
]


@pytest.fixture
def endpoint(program_a, administrator):
    return webhooks.add_endpoint(
        program=program_a,
        name="Health authority",
        url="https://partner.example.org/hooks",
        events=EVERY_EVENT,
        added_by=administrator,
    )


def told() -> list[tuple[str, dict[str, int | None]]]:
    rows = OutboxMessage.objects.filter(channel=Channel.WEBHOOK).order_by("pk")
    return [(row.kind, json.loads(row.body)["data"]) for row in rows]


def test_every_event_the_pages_offer_is_declared_by_its_app():
    assert [event.code for event in declared_events()] == EVERY_EVENT


def test_a_request_received_is_told_with_its_id(endpoint, program_a, ms):
    support_request = intake.submit_support_request(
        program=program_a,
        source=Source.PUBLIC_FORM,
        submission_token=uuid.uuid4(),
        first_name="Jordan",
        last_name="Lee",
        email="jordan.lee@example.net",
        phone="",
        contact_methods=[ContactMethod.EMAIL],
        language=Language.ENGLISH,
        experience=ms,
        relationship=Relationship.FAMILY,
        about="Newly diagnosed and would like to talk to someone who has been there.",
        consent=True,
    )

    assert told() == [
        (
            "intake.request.received",
            {"program_id": program_a.pk, "request_id": support_request.pk},
        )
    ]
    assert "Jordan" not in OutboxMessage.objects.get(channel=Channel.WEBHOOK).body


def test_a_match_started_and_closed_is_told(endpoint, request_a, supporter_a, coordinator_a):
    match = lifecycle.start_match(
        support_request=request_a, supporter=supporter_a, started_by=coordinator_a
    )
    closure.close_match(
        match=match,
        closed_by=coordinator_a,
        reason="completed",
        note="Six good months.",
        checkin_method="call",
        heard_from_peer=True,
        heard_from_supporter=True,
        checkin_notes="Both glad of it.",
    )

    ids = {"program_id": match.program_id, "match_id": match.pk, "request_id": request_a.pk}
    assert told() == [("matches.match.started", ids), ("matches.match.closed", ids)]


def test_an_escalation_raised_and_acknowledged_is_told(endpoint, match_a, coordinator_a):
    escalation = escalations.raise_escalation(
        program=match_a.program,
        raised_by=match_a.supporter.user,
        urgency=Urgency.BEYOND_ROLE,
        what_happened="They asked about housing help beyond my role.",
        match=match_a,
    )
    escalations.acknowledge_escalation(escalation=escalation, actor=coordinator_a)

    program = {"program_id": match_a.program_id, "escalation_id": escalation.pk}
    assert told() == [
        (
            "safety.escalation.raised",
            program | {"match_id": match_a.pk, "request_id": None},
        ),
        ("safety.escalation.acknowledged", program),
    ]
