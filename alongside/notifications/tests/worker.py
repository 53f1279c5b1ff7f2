"""Real processes for the tests that crash workers: `manage.py run_huey` and an SMTP server.

A worker shares the suite's test database (a file with SQLite, a server with PostgreSQL, so
these tests run in both CI jobs) and takes its tasks from a huey queue in a temporary file,
which the test fills. Waiting for another process is the one place these tests poll, briefly.
"""

import asyncio
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import connection
from huey.contrib.djhuey import HUEY
from huey.storage import SqliteStorage

# No periodic jobs (the test runs the sweep itself); poll the queue every 50 ms.
CONSUMER_OPTIONS = ("--no-periodic", "-d", "0.05", "-m", "0.2")


def wait_for(condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"Gave up waiting for {what}.")
        time.sleep(0.05)


def database_url() -> str:
    """The suite's own test database, as a DATABASE_URL for another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = urllib.parse.quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (until a server is started on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def tasks_queued_in(huey_file: Path) -> Iterator[None]:
    """Tasks queued by this process go to a huey file a worker reads, not run in-process."""
    HUEY.immediate = False
    HUEY.storage = SqliteStorage(HUEY.name, filename=str(huey_file))
    try:
        yield
    finally:
        HUEY.immediate = True


class Workers:
    """Starts `manage.py run_huey` processes (without their schedulers, unless `options` say
    otherwise); `stop_all` kills any still running."""

    def __init__(
        self, env: dict[str, str], log_dir: Path, options: tuple[str, ...] = CONSUMER_OPTIONS
    ) -> None:
        self.env = env
        self.log_dir = log_dir
        self.options = options
        self.started: list[subprocess.Popen[bytes]] = []
        self.killed: list[subprocess.Popen[bytes]] = []

    def start(self) -> subprocess.Popen[bytes]:
        with self.log(len(self.started)).open("wb") as output:
            worker = subprocess.Popen(
                [sys.executable, "manage.py", "run_huey", *self.options],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(worker)
        return worker

    def start_ready(self, count: int) -> None:
        """Start `count` workers and wait until each is taking tasks (their logs say so)."""
        logs = [self.log(len(self.started) + number) for number in range(count)]
        for _number in range(count):
            self.start()
        self.wait_for(
            lambda: all("consumer started" in log.read_text() for log in logs),
            "the workers to start",
            60,
        )

    def executing_a_task(self) -> subprocess.Popen[bytes]:
        """The one worker that has started a task (huey logs each one at INFO)."""
        found = [w for n, w in enumerate(self.started) if "Executing" in self.log(n).read_text()]
        assert len(found) == 1, self.logs()
        return found[0]

    def log(self, number: int) -> Path:
        return self.log_dir / f"worker-{number + 1}.log"

    def kill(self, worker: subprocess.Popen[bytes]) -> None:
        """SIGKILL: the worker and its threads stop where they are, with no chance to clean up."""
        self.killed.append(worker)
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)

    def wait_for(self, condition: Callable[[], bool], what: str, seconds: float = 60) -> None:
        """Like `wait_for`, but gives up at once, with the logs, when a worker exits by itself."""

        def met_or_worker_died() -> bool:
            died = [w for w in self.started if w not in self.killed and w.poll() is not None]
            if died:
                raise AssertionError(f"A worker exited while waiting for {what}:\n{self.logs()}")
            return condition()

        try:
            wait_for(met_or_worker_died, what, seconds)
        except AssertionError as error:
            raise AssertionError(f"{error}\n{self.logs()}") from None

    def stop_all(self) -> None:
        for worker in self.started:
            self.kill(worker)

    def logs(self) -> str:
        return "\n".join(path.read_text() for path in sorted(self.log_dir.glob("worker-*.log")))


@dataclass(frozen=True)
class Received:
    message_id: str
    subject: str
    held: bool  # the copy whose DATA the server held before answering


@dataclass
class StallingSmtpHandler:
    """A mail server that keeps every message it is given, with its Message-ID.

    The first message's DATA is held (at most a minute) until `release` is set before the server
    answers, so a test can find its sender in the middle of a send. The server keeps that copy
    even if its sender dies meanwhile: the worst case, where the crash makes a duplicate.
    """

    received: list[Received] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    release: threading.Event = field(default_factory=threading.Event)

    async def handle_DATA(  # noqa: N802  (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        parsed = email.message_from_bytes(envelope.original_content or b"")
        held = not self.stalled.is_set()
        self.received.append(
            Received(
                message_id=str(parsed["Message-ID"]), subject=str(parsed["Subject"]), held=held
            )
        )
        if held:
            self.stalled.set()
            deadline = time.monotonic() + 60
            while not self.release.is_set() and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server() -> Iterator[tuple[int, StallingSmtpHandler]]:
    handler = StallingSmtpHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, handler
    finally:
        handler.release.set()
        controller.stop()
