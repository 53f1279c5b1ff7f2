"""Coordinators walking their pages, for bench/load_pages.py (which starts locust with this file
and reads what it writes: see its docstring for the commands).

Each simulated coordinator signs in as a person does (the sign-in page, then the code of their
authenticator app) with one of the plan's accounts, then walks the request queue, a request's
page, the follow-up queue, a match's page, the supporter board and the proposals, in turn,
thinking a moment between pages, until the run ends. Every page's answer goes to the samples
file as one JSON line (when it started, the page, milliseconds, whether it was a good answer).

Environment: LOAD_PLAN (the plan's JSON file), LOAD_SAMPLES (the samples file, appended to),
LOAD_THINK (seconds between pages, "1-2"), LOAD_PAGES (the pages walked, comma-separated;
every page when empty).
"""

import base64
import hashlib
import hmac
import itertools
import json
import os
import random
import re
import struct
import sys
import time
from pathlib import Path
from typing import Any

from locust import HttpUser, SequentialTaskSet, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.load.report import PAGES

PLAN = json.loads(Path(os.environ["LOAD_PLAN"]).read_text())
SAMPLES = Path(os.environ["LOAD_SAMPLES"]).open("a", buffering=1)  # noqa: SIM115 (open all run)
THINK = [float(part) for part in os.environ.get("LOAD_THINK", "1-2").split("-")]
WALKED = {page for page in os.environ.get("LOAD_PAGES", "").split(",") if page} or set(PAGES)
SIGNING_IN = ("sign-in", "sign-in code")
_next_account = itertools.count()
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def authenticator_code(secret: str, at: float | None = None) -> str:
    """What an authenticator app holding `secret` shows (RFC 6238: SHA-1, 30 s, 6 digits)."""
    key = base64.b32decode(secret.encode("ascii"), casefold=True)
    counter = struct.pack(">Q", int((at or time.time()) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", bytes([digest[offset] & 0x7F]) + digest[offset + 1 : offset + 4])
    return f"{value[0] % 10**6:06d}"


@events.request.add_listener
def _sample(name: str, response_time: float, exception: Any, start_time: float, **_: Any) -> None:
    if name in PAGES or name in SIGNING_IN:
        SAMPLES.write(
            json.dumps(
                {"t": start_time, "page": name, "ms": response_time, "ok": exception is None}
            )
            + "\n"
        )


class Walk(SequentialTaskSet):
    """The coordinator's round of their pages."""

    def page(self, name: str, path: str) -> None:
        if name not in WALKED:
            return
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/accounts/login/" in response.url:
                response.failure("signed out")

    @task
    def request_queue(self) -> None:
        self.page("request queue", "/requests/")

    @task
    def request_page(self) -> None:
        self.page("request page", f"/requests/{random.choice(PLAN['requests'])}/")

    @task
    def follow_up_queue(self) -> None:
        self.page("follow-up queue", "/follow-up/")

    @task
    def match_page(self) -> None:
        self.page("match page", f"/matches/{random.choice(PLAN['matches'])}/")

    @task
    def supporter_board(self) -> None:
        self.page("supporter board", "/supporters/board/")

    @task
    def proposals(self) -> None:
        self.page("proposals", "/matching/proposals/")


class Coordinator(HttpUser):
    tasks = [Walk]
    wait_time = between(THINK[0], THINK[-1])

    def on_start(self) -> None:
        account = PLAN["coordinators"][next(_next_account) % len(PLAN["coordinators"])]
        self.sign_in(account["email"], PLAN["password"], account["secret"])

    def _posted(self, path: str, name: str, fields: dict[str, str]) -> Any:
        form = self.client.get(path, name=f"{name} (form)")
        token = CSRF_FIELD.search(form.text)
        fields = fields | {"csrfmiddlewaretoken": token.group(1) if token else ""}
        return self.client.post(form.url, data=fields, name=name, headers={"Referer": form.url})

    def sign_in(self, email: str, password: str, secret: str) -> None:
        """The password, then the authenticator code (a code works once: one used by an earlier
        run is refused, so the next one is awaited); a failed sign-in is said loudly."""
        answer = self._posted("/accounts/login/", "sign-in", {"login": email, "password": password})
        for _attempt in range(3):
            if "/accounts/2fa/authenticate/" not in answer.url:
                break
            answer = self._posted(
                "/accounts/2fa/authenticate/", "sign-in code", {"code": authenticator_code(secret)}
            )
            if "/accounts/2fa/authenticate/" in answer.url:
                time.sleep(30 - time.time() % 30 + 1)  # the next code
        if answer.status_code != 200 or "/accounts/" in answer.url:
            raise RuntimeError(f"{email} could not sign in (ended on {answer.url}).")
