"""A message names its program as written in the recipient's language (ADR 0004)."""

import pytest

from alongside.accounts.factories import UserFactory
from alongside.notifications.notify import RECIPIENT, MessageKind, notify

pytestmark = pytest.mark.django_db

NAMED = MessageKind("tests.named.sent", subject="%(program)s", body="From %(program)s.")


def test_each_recipient_reads_the_programs_name_in_their_language_else_its_first(program_a):
    program_a.translations = {"fr": {"name": "Programme A"}}
    program_a.save()
    francophone = UserFactory(language="fr-ca")
    hispanophone = UserFactory(language="es")

    french, spanish = notify(
        kind=NAMED,
        recipients=[francophone, hispanophone],
        context={},
        idempotency_key=("tests.named", RECIPIENT),
        program=program_a,
    )

    assert french.subject == "Programme A"
    assert spanish.subject == "Program A"
