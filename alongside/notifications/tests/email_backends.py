"""E-mail backends for the tests."""

import smtplib
import threading
from collections.abc import Sequence
from typing import Any, ClassVar

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend


class BrokenEmailBackend(BaseEmailBackend):
    """A mail server that is down; its error quotes the address, as real ones do."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        addresses = ", ".join(address for email in email_messages for address in email.to)
        raise smtplib.SMTPServerDisconnected(f"Connection lost while sending to {addresses}")


def use_email_backend(settings: Any, backend: str) -> None:
    """Point outgoing mail at `backend`, through MAILERS once the project has moved to it."""
    if hasattr(settings, "MAILERS"):
        settings.MAILERS = {"default": {"BACKEND": backend}}
    else:
        settings.EMAIL_BACKEND = backend


class StallingEmailBackend(BaseEmailBackend):
    """A slow mail server: the first message takes until `release` is set (at most 30 s)."""

    started = threading.Event()
    release = threading.Event()
    sent: ClassVar[list[str]] = []

    @classmethod
    def reset(cls) -> None:
        cls.started, cls.release, cls.sent = threading.Event(), threading.Event(), []

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        if not StallingEmailBackend.started.is_set():
            StallingEmailBackend.started.set()
            StallingEmailBackend.release.wait(timeout=30)
        StallingEmailBackend.sent.extend(email.body for email in email_messages)
        return len(email_messages)
