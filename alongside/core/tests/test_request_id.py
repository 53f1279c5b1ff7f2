"""Each request's id: made here, or the trusted proxy's; on the response and on every log line."""

import copy
import io
import json
import logging
import logging.config
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from alongside.core.request_log import current_request_id

PROXY_ID = "7f3c2a9e1b4d4c0e8a6f5d2b1c9e0a7d"


def is_ours(request_id: str) -> bool:
    return len(request_id) == 32 and all(char in "0123456789abcdef" for char in request_id)


def test_a_request_without_an_id_gets_a_new_one_on_its_response(client: Client) -> None:
    first = client.get(reverse("health_live"))["X-Request-ID"]
    second = client.get(reverse("health_live"))["X-Request-ID"]

    assert is_ours(first)
    assert is_ours(second)
    assert first != second


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["127.0.0.1"])
def test_the_id_of_a_trusted_proxy_is_kept(client: Client) -> None:
    response = client.get(reverse("health_live"), HTTP_X_REQUEST_ID=PROXY_ID)

    assert response["X-Request-ID"] == PROXY_ID


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_id_sent_by_a_client_that_is_not_a_trusted_proxy_is_ignored(client: Client) -> None:
    response = client.get(reverse("health_live"), HTTP_X_REQUEST_ID=PROXY_ID)

    assert response["X-Request-ID"] != PROXY_ID
    assert is_ours(response["X-Request-ID"])


@override_settings(ALONGSIDE_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_no_id_is_believed(client: Client) -> None:
    response = client.get(reverse("health_live"), HTTP_X_REQUEST_ID=PROXY_ID)

    assert is_ours(response["X-Request-ID"])


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.parametrize(
    "offered",
    ["short", "x" * 129, "has space in it", "alice@example.org", "line\nbreak-12345", "é" * 10],
)
def test_a_malformed_id_even_from_a_trusted_proxy_is_replaced(client: Client, offered: str) -> None:
    response = client.get(reverse("health_live"), HTTP_X_REQUEST_ID=offered)

    assert is_ours(response["X-Request-ID"])


@override_settings(ALONGSIDE_TRUSTED_PROXIES=["127.0.0.1"])
@pytest.mark.parametrize("offered", ["a1b2c3d4", "x" * 128, "req.2026-12-01_abc"])
def test_ids_of_8_to_128_letters_digits_dots_underscores_and_hyphens_are_kept(
    client: Client, offered: str
) -> None:
    assert client.get(reverse("health_live"), HTTP_X_REQUEST_ID=offered)["X-Request-ID"] == offered


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """The settings' logging, in JSON, written to a buffer; the settings' own afterwards."""
    config: dict[str, Any] = copy.deepcopy(settings.LOGGING)
    stream = io.StringIO()
    config["handlers"]["console"] |= {"formatter": "json", "stream": stream}
    logging.config.dictConfig(config)
    try:
        yield stream
    finally:
        logging.config.dictConfig(settings.LOGGING)


def test_a_json_log_line_is_json_with_the_request_id_and_no_query_string(
    db: None, client: Client, log_lines: io.StringIO
) -> None:
    response = client.get("/nowhere/at/all/?name=Alice+Tremblay")

    lines = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert response.status_code == 404
    assert len(not_found) == 1
    assert not_found[0]["request_id"] == response["X-Request-ID"]
    assert not_found[0]["level"] == "WARNING"
    assert "/nowhere/at/all/" in not_found[0]["message"]
    assert set(not_found[0]) == {"time", "level", "logger", "message", "request_id"}
    assert "Alice" not in log_lines.getvalue()


def test_a_line_logged_outside_a_request_carries_a_dash(log_lines: io.StringIO) -> None:
    logging.getLogger("alongside.test").warning("The sweep ran.")

    line = json.loads(log_lines.getvalue().splitlines()[-1])
    assert line["request_id"] == "-"
    assert line["message"] == "The sweep ran."


def test_a_plain_log_line_carries_the_request_id_too() -> None:
    record = logging.LogRecord("alongside.test", logging.INFO, __file__, 1, "Sent.", None, None)
    handler = logging.StreamHandler(io.StringIO())
    logging.config.dictConfig(settings.LOGGING)
    console = logging.getLogger().handlers[0]
    handler.setFormatter(console.formatter)
    for log_filter in console.filters:
        handler.addFilter(log_filter)

    handler.handle(record)

    assert handler.stream.getvalue().rstrip().endswith("alongside.test [-] Sent.")


def test_the_id_is_forgotten_once_the_request_is_finished(client: Client) -> None:
    client.get(reverse("health_live"))

    assert current_request_id.get() == "-"


def test_a_json_line_keeps_an_errors_traceback(log_lines: io.StringIO) -> None:
    try:
        raise ValueError("a bad row")
    except ValueError:
        logging.getLogger("alongside.test").exception("The sweep failed.")

    line = json.loads(log_lines.getvalue().splitlines()[-1])
    assert line["message"] == "The sweep failed."
    assert "ValueError" in line["exc_info"]
