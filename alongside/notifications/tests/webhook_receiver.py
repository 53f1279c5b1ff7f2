"""A real HTTP receiver on 127.0.0.1 for webhook tests: it answers the statuses it is given in
turn and verifies each delivery's signature with the standardwebhooks package, as a partner's
system would."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError


@dataclass
class Received:
    body: str
    headers: dict[str, str]
    verified_with: list[str]  # the secrets whose signature verified


@dataclass
class Receiver:
    url: str
    secrets: list[str]
    statuses: list[int]
    received: list[Received] = field(default_factory=list)

    def verify(self, body: str, headers: dict[str, str]) -> list[str]:
        verified = []
        for secret in self.secrets:
            try:
                Webhook(secret).verify(body, headers)
            except WebhookVerificationError:
                continue
            verified.append(secret)
        return verified


@contextmanager
def webhook_receiver(*, secrets: list[str], statuses: list[int]) -> Iterator[Receiver]:
    """Serve on a free port of 127.0.0.1 until the block ends; the last status repeats."""
    receiver = Receiver(url="", secrets=secrets, statuses=list(statuses))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"])).decode()
            headers = dict(self.headers.items())
            receiver.received.append(Received(body, headers, receiver.verify(body, headers)))
            status = (
                receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
            )
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/alongside/events"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
