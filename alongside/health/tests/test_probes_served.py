"""Done when: /health/ready turns unhealthy when Redis stops and healthy again when it returns,
asked of a real server (the Procfile's gunicorn) with a real Redis, and the probes answer plain
HTTP where every page redirects to HTTPS.

Redis is a `redis-server` of the test's own on a free port, stopped and started again under the
server's feet; the web server shares the suite's test database (a file with SQLite, a server
with PostgreSQL), which holds a fresh heartbeat, as a running worker keeps it.
"""

import json
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from alongside.core import field_keys
from alongside.core.tests.test_field_keys import KEY_A, production_environment
from alongside.core.tests.web_server import WebServer, collected_static, free_port
from alongside.health.services import record_heartbeat
from alongside.notifications.tests.worker import database_url, wait_for


class RedisServer:
    """A throwaway redis-server on 127.0.0.1:`port`, keeping nothing on disk."""

    def __init__(self, port: int, folder: Path) -> None:
        self.port = port
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary, (
            "These tests start Redis themselves: install redis-server (Debian: redis-server)."
        )
        self.process = subprocess.Popen(
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, "Redis to answer", 30)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as connection:
                connection.sendall(b"PING\r\n")
                return connection.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        wait_for(lambda: not self.answers(), "Redis to stop", 30)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def installation(transactional_db: None) -> dict[str, str]:
    """The test database as an installation with field key A has it, a worker beating."""
    with override_settings(FIELD_ENCRYPTION_KEYS=[KEY_A]):
        field_keys.write_key_check()
    record_heartbeat(at=timezone.now())
    return production_environment(field_keys=KEY_A, url=database_url())


@pytest.fixture
def served(installation: dict[str, str], redis: RedisServer, tmp_path: Path) -> Iterator[WebServer]:
    """The Procfile's web server over plain HTTP with HTTPS on (behind no proxy), its cache and
    queue in Redis."""
    environment = collected_static(installation) | {
        "ALONGSIDE_HTTPS": "true",
        "CACHE_URL": redis.url,
        "HUEY_REDIS_URL": redis.url,
    }
    server = WebServer(environment, port=free_port(), log=tmp_path / "web.log")
    server.wait()
    yield server
    server.stop()


def ready(server: WebServer) -> tuple[int, dict[str, object]]:
    answer = server.ask("/health/ready")
    return answer.status, json.loads(answer.body)


def test_ready_fails_naming_cache_and_queue_while_redis_is_down_and_recovers_when_it_returns(
    served: WebServer, redis: RedisServer
) -> None:
    up_status, up = ready(served)
    assert (up_status, up["failing"]) == (200, []), up

    redis.stop()
    down_status, down = ready(served)
    live = served.ask("/health/live")

    redis.start()
    started = time.monotonic()
    while ready(served)[0] != 200 and time.monotonic() - started < 30:
        time.sleep(0.5)
    back_status, back = ready(served)

    assert down_status == 503
    assert down["failing"] == ["cache", "queue"]
    assert live.status == 200
    assert back_status == 200, back
    assert back["failing"] == []


def test_the_procfiles_gunicorn_answers_probes_over_plain_http_while_pages_redirect_to_https(
    served: WebServer,
) -> None:
    sign_in = served.ask("/accounts/login/")

    assert sign_in.status == 301
    assert sign_in.headers["Location"].startswith("https://")
    for probe in ("/health/live", "/health/ready", "/health/"):
        assert served.ask(probe).status == 200, probe
    assert served.ask("/health/live").headers["Server"] == "gunicorn"
    # The access log names the path, never the query string (it may hold a search for a name).
    served.ask("/health/live?q=Tremblay")
    assert '"GET /health/live" 200' in served.log.read_text()
    assert "Tremblay" not in served.log.read_text()
