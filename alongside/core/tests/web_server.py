"""The web server as the Procfile starts it (the demo `make run` serves, and production), for the
tests that ask a real server: the Procfile's own `web` command, run by a shell as honcho does."""

import fcntl
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

BASE_DIR = Path(settings.BASE_DIR)
# Kept between runs, as var/static is: a second collectstatic compresses nothing again.
TEST_STATIC_ROOT = Path(settings.VAR_DIR) / "test-static"


def collected_static(environment: dict[str, str]) -> dict[str, str]:
    """`make static` run for a server started with `environment` (outside test mode): the
    environment, with ALONGSIDE_STATIC_ROOT where collectstatic put the files. One test at a
    time collects (a lock), since the folder outlives each test."""
    environment = environment | {"ALONGSIDE_STATIC_ROOT": str(TEST_STATIC_ROOT)}
    stamp = TEST_STATIC_ROOT / ".collected-from"
    with (Path(settings.VAR_DIR) / "test-static.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        sources = static_sources()
        if stamp.exists() and stamp.read_text() == sources:
            return environment  # collected from these very files already (this run or the last)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
            cwd=BASE_DIR,
            env=environment,
            check=True,
            timeout=600,
        )
        stamp.write_text(sources)
    return environment


def static_sources() -> str:
    """A fingerprint of every file collectstatic would collect: its path, size and time."""
    files = sorted(
        (path, os.stat(storage.path(path)))
        for finder in finders.get_finders()
        for path, storage in finder.list([])
    )
    listing = "\n".join(f"{path} {stat.st_size} {stat.st_mtime_ns}" for path, stat in files)
    return hashlib.sha256(listing.encode()).hexdigest()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def procfile_command(process: str) -> str:
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() == process:
            return command.strip()
    raise AssertionError(f"The Procfile has no {process!r} process.")


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode(errors="replace")


def ask(url: str, headers: dict[str, str] | None = None) -> Answer:
    """GET `url` and its answer, whatever its status; a redirect is not followed."""

    class NoRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    opener = urllib.request.build_opener(NoRedirects)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http://127.0.0.1)
    try:
        with opener.open(request, timeout=10) as response:
            return Answer(int(response.status), dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(int(error.code), dict(error.headers), error.read())


class WebServer:
    """The Procfile's `web` process on 127.0.0.1:`port`, one gunicorn worker (or `workers`),
    logging to `log`."""

    def __init__(
        self, environment: dict[str, str], *, port: int, log: Path, workers: int = 1
    ) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.log = log
        venv_bin = str(Path(sys.executable).parent)  # as `make run` puts .venv/bin on PATH
        environment = environment | {
            "ALONGSIDE_WEB_BIND": f"127.0.0.1:{port}",
            "ALONGSIDE_WEB_WORKERS": str(workers),
            "PATH": f"{venv_bin}:{environment.get('PATH', '')}",
        }
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                ["/bin/sh", "-c", f"exec {procfile_command('web')}"],
                cwd=BASE_DIR,
                env=environment,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ask(self, path: str, headers: dict[str, str] | None = None) -> Answer:
        return ask(self.base + path, headers)

    def wait(self, path: str = "/health/live") -> Answer:
        """The first answer to `path` once the server listens (within a minute)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"The web server exited:\n{self.log.read_text()}")
            try:
                return self.ask(path)
            except OSError:
                time.sleep(0.2)
        raise AssertionError(
            f"The web server did not answer within a minute:\n{self.log.read_text()}"
        )

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
