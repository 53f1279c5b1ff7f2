"""E-mail backends for the tests."""

import smtplib
from collections.abc import Sequence
from typing import Any

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
