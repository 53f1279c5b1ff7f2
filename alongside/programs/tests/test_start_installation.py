"""`manage.py start_installation`: a real installation's first administrator and first program."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from alongside.accounts.models import Role, User
from alongside.accounts.queries import roles_of
from alongside.accounts.services import is_waiting_for_a_password
from alongside.core.models import AuditEvent
from alongside.notifications.models import OutboxMessage
from alongside.programs.models import Program
from alongside.programs.queries import administers

ANSWERS = {
    "email": "Robin.Ouellet@sante.example.ca",
    "name": "Pairs aidants Québec",
    "subdivision": "QC",
    "time_zone": "America/Toronto",
    "languages": "fr,en",
}


def start(*args: str, **options: str) -> str:
    out = StringIO()
    call_command("start_installation", *args, stdout=out, **options)
    return out.getvalue()


def link_in(output: str) -> str:
    found = re.search(r"http://127\.0\.0\.1:8000(/\S+)", output.split("at this link")[1])
    assert found, output
    return found.group(1)


@pytest.mark.django_db
def test_it_opens_an_administrator_without_a_password_and_a_program_they_administer() -> None:
    output = start("--no-input", **ANSWERS)

    administrator = User.objects.get()
    program = Program.objects.get()
    assert administrator.email == "robin.ouellet@sante.example.ca"  # the sign-in finds it
    assert administrator.is_superuser
    assert administrator.is_staff
    assert is_waiting_for_a_password(administrator)
    assert (program.name, program.slug, program.subdivision) == (
        "Pairs aidants Québec",
        "pairs-aidants-quebec",
        "QC",
    )
    assert program.languages == ["fr", "en"]
    assert not program.accepts_public_requests
    assert administers(administrator, program)
    assert Role.ADMINISTRATOR in roles_of(administrator)
    assert "Alongside is set up." in output
    assert {"accounts.user.created", "programs.program.created"} <= set(
        AuditEvent.objects.values_list("action", flat=True)
    )


@pytest.mark.django_db
def test_the_administrator_chooses_a_password_from_the_link_then_sets_up_an_authenticator_app(
    client: Client,
) -> None:
    path = link_in(start("--no-input", **ANSWERS))

    assert client.get(path).status_code == 200
    chosen = client.post(
        path, {"new_password1": "a quiet harbour 42", "new_password2": "a quiet harbour 42"}
    )
    signed_in = client.post(
        reverse("account_login"),
        {"login": "robin.ouellet@sante.example.ca", "password": "a quiet harbour 42"},
    )
    first_page = client.get(reverse("home"), follow=True)

    assert chosen.status_code == 302
    assert signed_in.status_code == 302
    assert first_page.redirect_chain[-1] == (reverse("mfa_activate_totp"), 302)
    assert first_page.status_code == 200


@pytest.mark.django_db
def test_the_invitation_is_also_emailed_through_the_outbox() -> None:
    start("--no-input", **ANSWERS)

    invitation = OutboxMessage.objects.get()
    assert invitation.to_address == "robin.ouellet@sante.example.ca"
    assert invitation.kind.startswith("accounts.invitation")


@pytest.mark.django_db
def test_it_asks_for_what_the_options_do_not_give(monkeypatch: pytest.MonkeyPatch) -> None:
    questions: list[str] = []
    replies = iter(["robin@example.ca", "Peer Support Network", "", "", "ON", "", "", ""])

    def reply(question: str) -> str:
        questions.append(question)
        return next(replies)

    monkeypatch.setattr("builtins.input", reply)

    start()

    program = Program.objects.get()
    assert (program.slug, program.country, program.subdivision) == (
        "peer-support-network",
        "CA",
        "ON",
    )
    assert program.time_zone == "America/Toronto"
    assert questions[0].startswith("The first administrator's e-mail address")
    assert questions[2] == "Its web address name [peer-support-network]: "


@pytest.mark.django_db
def test_it_refuses_once_the_installation_has_an_administrator() -> None:
    start("--no-input", **ANSWERS)

    with pytest.raises(CommandError, match="already has an administrator"):
        start("--no-input", **{**ANSWERS, "email": "another@example.ca", "name": "Another"})

    assert User.objects.count() == 1
    assert Program.objects.count() == 1


@pytest.mark.django_db
def test_a_program_that_cannot_be_created_leaves_nothing_behind() -> None:
    with pytest.raises(CommandError, match="Time zone"):
        start("--no-input", **{**ANSWERS, "time_zone": "Mars/Olympus_Mons"})

    assert not User.objects.exists()
    assert not Program.objects.exists()


@pytest.mark.django_db
def test_an_address_that_is_not_an_email_is_refused() -> None:
    with pytest.raises(CommandError, match="is not an e-mail address"):
        start("--no-input", **{**ANSWERS, "email": "robin at example"})

    assert not User.objects.exists()
