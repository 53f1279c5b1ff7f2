"""Error reports to Sentry: only with a DSN, never from the tests, and nothing personal leaves."""

import os
import subprocess
import sys
from typing import Any

import pytest
import sentry_sdk
from django.conf import settings

from alongside.core.request_log import current_request_id
from config import error_reports

DSN = "https://0123456789abcdef@o1.ingest.example.org/42"
IS_STARTED = "import config.settings, sentry_sdk; print(sentry_sdk.is_initialized())"


def started_by_settings(**environment: str) -> bool:
    env = os.environ | {"SENTRY_DSN": "", "ALONGSIDE_TESTING": "false"} | environment
    result = subprocess.run(
        [sys.executable, "-c", IS_STARTED],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip() == "True"


def test_the_settings_start_sentry_only_with_a_dsn_and_never_in_the_tests() -> None:
    assert started_by_settings(SENTRY_DSN=DSN)
    assert not started_by_settings()
    assert not started_by_settings(SENTRY_DSN=DSN, ALONGSIDE_TESTING="true")
    assert not started_by_settings(SENTRY_DSN="not a dsn")


def test_the_suite_itself_reports_nothing() -> None:
    assert not sentry_sdk.is_initialized()


def test_sentry_is_started_without_personal_data_bodies_or_local_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    given: dict[str, Any] = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: given.update(options))

    assert error_reports.start_error_reports(dsn=DSN, environment="staging", release="v1.2.0")

    assert given["dsn"] == DSN
    assert given["send_default_pii"] is False
    assert given["include_local_variables"] is False
    assert given["max_request_body_size"] == "never"
    assert (given["environment"], given["release"]) == ("staging", "v1.2.0")
    assert given["before_send"] is error_reports.before_send
    assert [type(integration).__name__ for integration in given["integrations"]] == [
        "DjangoIntegration"
    ]


def test_a_malformed_dsn_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: pytest.fail("started"))

    assert not error_reports.start_error_reports(dsn="https://o1.example.org/42", environment="x",
                                                 release=None)  # fmt: skip


def an_event() -> dict[str, Any]:
    return {
        "message": "Server error",
        "request": {
            "url": "https://peers.example.org/intake/requests/?name=Alice+Tremblay",
            "method": "POST",
            "query_string": "name=Alice+Tremblay",
            "data": {"story": "I have been thinking of ending it"},
            "cookies": {"sessionid": "abc"},
            "env": {"REMOTE_ADDR": "203.0.113.9"},
            "headers": {
                "Host": "peers.example.org",
                "Cookie": "sessionid=abc",
                "Authorization": "Bearer secret",
                "X-Forwarded-For": "203.0.113.9",
                "Referer": "https://peers.example.org/?q=Alice",
                "User-Agent": "Firefox",
            },
        },
        "user": {"id": 7, "email": "alice.tremblay@example.org", "ip_address": "203.0.113.9"},
        "breadcrumbs": {
            "values": [{"category": "query", "message": "SELECT …", "data": {"p": "Alice"}}]
        },
    }


def test_before_send_strips_bodies_cookies_query_strings_headers_and_the_user() -> None:
    event = error_reports.before_send(an_event(), {})  # type: ignore[arg-type]

    request = event["request"]
    assert set(request) == {"url", "method", "headers"}
    assert request["url"] == "https://peers.example.org/intake/requests/"
    assert request["headers"] == {"Host": "peers.example.org", "User-Agent": "Firefox"}
    assert "user" not in event
    assert "Alice" not in str(event)
    assert "203.0.113.9" not in str(event)
    assert "ending it" not in str(event)


def test_before_send_tags_the_request_id() -> None:
    token = current_request_id.set("7f3c2a9e1b4d4c0e")
    try:
        event = error_reports.before_send({"message": "Server error"}, {})
    finally:
        current_request_id.reset(token)

    assert event["tags"] == {"request_id": "7f3c2a9e1b4d4c0e"}


def test_before_send_outside_a_request_adds_no_tag() -> None:
    assert "tags" not in error_reports.before_send({"message": "Worker error"}, {})
