"""/health/metrics and the request ids of a real server: the Procfile's gunicorn with two worker
processes, as production runs it, writing JSON logs. Requests answered by either process add up
at a scrape (ALONGSIDE_METRICS_DIR), and every line of a request carries its id."""

import json
import secrets
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from alongside.core import field_keys
from alongside.core.tests.test_field_keys import KEY_A, production_environment
from alongside.core.tests.web_server import WebServer, collected_static, free_port
from alongside.health.services import record_heartbeat
from alongside.notifications.tests.worker import database_url

TOKEN = secrets.token_urlsafe(32)
REQUESTS = 24
PROXY_ID = "nginx-7f3c2a9e1b4d4c0e"


@pytest.fixture
def served(transactional_db: None, tmp_path: Path) -> Iterator[WebServer]:
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()
    record_heartbeat(at=timezone.now())
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    (metrics / "histogram_1.db").write_bytes(b"left by a previous start")
    environment = collected_static(production_environment(field_keys=KEY_A, url=database_url())) | {
        "ALONGSIDE_METRICS_TOKEN": TOKEN,
        "ALONGSIDE_METRICS_DIR": str(metrics),
        "ALONGSIDE_LOG_FORMAT": "json",
        "ALONGSIDE_TRUSTED_PROXIES": "127.0.0.1",
    }
    server = WebServer(environment, port=free_port(), log=tmp_path / "web.log", workers=2)
    server.wait()
    yield server
    server.stop()


def live_requests(server: WebServer) -> float:
    answer = server.ask("/health/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert answer.status == 200, answer.text
    for family in text_string_to_metric_families(answer.text):
        for sample in family.samples:
            if sample.name == "alongside_request_seconds_count" and sample.labels == {
                "view": "health_live",
                "method": "GET",
                "status": "2xx",
            }:
                return sample.value
    return 0


def test_the_requests_of_both_worker_processes_add_up_at_a_scrape(served: WebServer) -> None:
    before = live_requests(served)  # the server's own wait() asked /health/live
    for _ in range(REQUESTS):
        assert served.ask("/health/live").status == 200

    assert live_requests(served) == before + REQUESTS
    assert served.ask("/health/metrics").status == 403
    assert served.ask("/health/metrics", {"Authorization": "Bearer wrong"}).status == 403


def test_each_line_of_a_request_is_json_with_its_id_and_no_query_string(
    served: WebServer,
) -> None:
    answer = served.ask("/nowhere/?name=Alice+Tremblay", {"X-Request-ID": PROXY_ID})
    ours = served.ask("/health/live")

    lines = logged_until(served, ours.headers["X-Request-ID"])
    not_found = [line for line in lines if line.get("logger") == "django.request"]
    access = [line for line in lines if line.get("logger") == "gunicorn.access"]
    assert answer.status == 404
    assert answer.headers["X-Request-ID"] == PROXY_ID
    assert [line["request_id"] for line in not_found] == [PROXY_ID]
    assert any(line["message"].endswith(PROXY_ID) for line in access)
    assert any(line["message"].endswith(ours.headers["X-Request-ID"]) for line in access)
    assert "Alice" not in served.log.read_text()


def logged_until(server: WebServer, last_id: str) -> list[dict[str, Any]]:
    """The server's JSON lines once the access line of the request `last_id` is written:
    gunicorn writes it after the answer is sent, so it may come a moment after."""
    deadline = time.monotonic() + 10
    while True:
        lines = [json.loads(line) for line in server.log.read_text().splitlines() if line]
        if time.monotonic() > deadline or any(
            line.get("logger") == "gunicorn.access" and line["message"].endswith(last_id)
            for line in lines
        ):
            return lines
        time.sleep(0.1)
