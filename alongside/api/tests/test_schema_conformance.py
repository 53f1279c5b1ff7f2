"""schemathesis against the live schema (/api/v1/openapi.json), served by the application itself.

Every operation is called with calls generated from its schema (and with the coverage phase's
boundary values), each with a token of the program that holds exactly the scope the operation
names (`x-scope`), made by the program's coordinator. Each answer must be no server error, a
status the operation documents, a body that conforms to the documented schema and a content
type it documents (problems as application/problem+json).

The calls go through the WSGI application in this process, inside the test's transaction, so
what a POST creates is gone at the end.
"""

import datetime as dt
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from alongside.api.models import Scope
from alongside.api.tokens import issue_token
from alongside.intake.factories import SupportRequestFactory
from alongside.matches.factories import MatchFactory

# Calls generated for each operation in each mode (valid, then invalid data).
EXAMPLES = 40
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    response_schema_conformance,
    content_type_conformance,
]


@pytest.fixture
def live_schema(db: None) -> Iterator[Any]:
    """The schema as the application serves it. The application keeps the test's database
    connection open at the end of each request, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def known_ids(program_a: Any) -> dict[str, int]:
    """Rows of program A for the lists to return; valid calls name them in their paths."""
    program_a.accepts_referrals = True
    program_a.save(update_fields=["accepts_referrals"])
    waiting = SupportRequestFactory(program=program_a)
    match = MatchFactory(program=program_a)
    return {
        "program_id": program_a.pk,
        "request_id": waiting.pk,
        "match_id": match.pk,
        "supporter_id": match.supporter_id,
    }


@pytest.fixture
def tokens(program_a: Any, coordinator_a: Any) -> dict[str, str]:
    """A token of program A for each scope."""
    made = {}
    for scope in Scope:
        _token, raw = issue_token(
            program=program_a,
            created_by=coordinator_a,
            name=f"Partner ({scope.value})",
            scopes=[scope.value],
            expires_on=timezone.localdate() + dt.timedelta(days=30),
        )
        made[scope.value] = raw
    return made


def failures_of(
    operation: Any, mode: GenerationMode, headers: dict[str, str], known: dict[str, int]
) -> list[str]:
    """What the checks found in the calls generated for one operation, in one mode. Valid
    calls name program A's rows in their paths half the time (else a random id, a 404)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        # The same calls on every run, so that CI's answer can be reproduced (and a new
        # endpoint still gets its own: the calls follow from its schema).
        derandomize=True,
    )
    def call(case: Any) -> None:
        if mode == GenerationMode.POSITIVE and case.path_parameters and random_bit(case):
            for name in case.path_parameters.keys() & known.keys():
                case.path_parameters[name] = known[name]
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        call()
    except Exception as error:  # each operation's failures are reported together, at the end
        return [f"{operation.label} ({mode.value}): {error}"]
    return []


def random_bit(case: Any) -> bool:
    return zlib.crc32(repr(sorted(case.path_parameters.items())).encode()) % 2 == 0


def test_every_call_is_answered_as_the_schema_documents(
    live_schema: Any, tokens: dict[str, str], known_ids: dict[str, int]
) -> None:
    operations = [result.ok() for result in live_schema.get_all_operations()]
    failures = []
    for operation in operations:
        scope = operation.definition.raw.get("x-scope")
        headers = {"Authorization": f"Bearer {tokens[scope]}"} if scope else {}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += failures_of(operation, mode, headers, known_ids)

    assert len(operations) >= 4
    assert failures == [], "\n\n".join(failures)
