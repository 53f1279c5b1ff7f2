"""Outside services for the fault-injection tests: a real local SMTP server and an SMS gateway."""

import os
import socket
import time
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from alongside.notifications.channels import DeliveryError


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (until a server is started on it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class RecordingHandler:
    """Keeps every message the SMTP server accepted, by recipient and subject."""

    def __init__(self) -> None:
        self.received: Counter[tuple[str, str]] = Counter()

    async def handle_DATA(  # noqa: N802  (the name aiosmtpd calls)
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.content
        text = content.decode() if isinstance(content, bytes) else str(content)
        subject = next((line[9:] for line in text.splitlines() if line.startswith("Subject: ")), "")
        for recipient in envelope.rcpt_tos:
            self.received[(recipient, subject)] += 1
        return "250 Message accepted for delivery"


def start_smtp_server(port: int) -> tuple[Controller, RecordingHandler]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


class FlakySmsBackend:
    """An SMS gateway that is down while `down` is set; otherwise it records each message."""

    down: ClassVar[bool] = False
    sent: ClassVar[Counter[tuple[str, str]]] = Counter()

    def send_sms(self, to: str, body: str) -> None:
        if FlakySmsBackend.down:
            raise DeliveryError("The SMS gateway answered 503.")
        FlakySmsBackend.sent[(to, body)] += 1

    @classmethod
    def reset(cls, **state: Any) -> None:
        cls.down = bool(state.get("down", False))
        cls.sent = Counter()


class SlowSmsBackend:
    """A gateway that writes each message it accepts to $SLOW_SMS_LOG, one line each.

    The message whose text contains $SLOW_SMS_HANG_ON never finishes sending: the backend
    writes $SLOW_SMS_LOG.hanging and waits, so a test can kill the worker mid-send.
    """

    def send_sms(self, to: str, body: str) -> None:
        log = Path(os.environ["SLOW_SMS_LOG"])
        hang_on = os.environ.get("SLOW_SMS_HANG_ON", "")
        if hang_on and hang_on in body:
            Path(f"{log}.hanging").write_text(body)
            time.sleep(3600)
        with log.open("a", encoding="utf-8") as file:
            file.write(body + "\n")
            file.flush()
            os.fsync(file.fileno())
