"""Start a real installation: its first administrator and its first program.

    .venv/bin/python manage.py start_installation

asks for the administrator's e-mail address and the program's name, web address name, country,
province or state, time zone and languages (or takes them as options, with --no-input). The
administrator administers the installation (every program, the accounts, the Django admin) and
has no password yet: the command prints a link to choose one, also e-mailed through the outbox.
At the first sign-in they set up an authenticator app, as every staff member must; nothing else
opens until they have. The program takes no requests until its settings open a way in.

It refuses once the installation has an administrator: from then on, administrators invite
people from the site. Everything is checked before anything is written, and written at once.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.text import slugify

from alongside.accounts.invitations import invitation_path
from alongside.accounts.models import User
from alongside.accounts.services import invite_person, save_account
from alongside.core.errors import DomainError
from alongside.programs.forms.setup import NewProgramForm
from alongside.programs.models import Program
from alongside.programs.services.setup import create_program

QUESTIONS = (
    # (option, question, default: a text or a function of the answers so far)
    ("email", "The first administrator's e-mail address", ""),
    ("name", "The first program's name", ""),
    ("slug", "Its web address name", lambda answers: slugify(answers["name"])[:50]),
    ("country", "Country, two letters (for the holidays of business days)", "CA"),
    ("subdivision", "Province or state, e.g. ON, QC, BC (its holidays count too)", ""),
    ("time_zone", "Time zone", "America/Toronto"),
    ("languages", "Languages offered, comma-separated (en, fr, es ...)", "en"),
    ("contact_methods", "Contact methods (phone, video, email, text, in_person)", "phone,video"),
)
LISTS = ("languages", "contact_methods")

type Default = str | Callable[[dict[str, str]], str]


class Command(BaseCommand):
    help = "Create this installation's first administrator and first program."

    def add_arguments(self, parser: CommandParser) -> None:
        for option, question, _default in QUESTIONS:
            parser.add_argument(f"--{option.replace('_', '-')}", dest=option, help=question)
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Ask nothing: every answer comes from the options (or their defaults).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(is_superuser=True).exists():
            raise CommandError(
                "This installation already has an administrator: administrators invite "
                "everyone else from the site (Accounts), and create programs there."
            )
        answers = self.answers(options)
        email = answers["email"]
        form = NewProgramForm(program_data(answers))
        if not form.is_valid():
            raise CommandError(form_problems(form))
        try:
            with transaction.atomic():
                administrator = open_administrator(email)
                program = create_program(by=administrator, **form.cleaned_data)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.report(administrator, program)

    def answers(self, options: dict[str, Any]) -> dict[str, str]:
        """Each answer from its option, else asked (interactive), else its default."""
        answers: dict[str, str] = {}
        for option, question, default in QUESTIONS:
            given = options.get(option)
            value = default_of(default, answers) if given is None else str(given)
            if given is None and options["interactive"]:
                value = ask(question, value)
            answers[option] = value.strip()
        # In lower case: the sign-in looks an address up as typed in lower case, so an account
        # opened as Robin.Ouellet@… could never sign in.
        answers["email"] = answers["email"].lower()
        try:
            validate_email(answers["email"])
        except ValidationError as error:
            raise CommandError(f"“{answers['email']}” is not an e-mail address.") from error
        return answers

    def report(self, administrator: User, program: Program) -> None:
        link = f"{settings.SITE_URL}{invitation_path(administrator)}"
        form = reverse("intake:request_support", kwargs={"program_slug": program.slug})
        days = settings.ACCOUNT_INVITATION_DAYS
        self.stdout.write(self.style.SUCCESS("Alongside is set up."))
        self.stdout.write(
            f"Administrator: {administrator.email}, for every program, the accounts and the "
            "Django admin.\n"
            f"Program: {program.name}, taking no requests until its settings open a way in "
            f"(its request form: {settings.SITE_URL}{form}).\n"
            f"The administrator chooses a password within {days} days at this link (also "
            f"e-mailed to them once the worker runs):\n  {link}\n"
            "At their first sign-in they set up an authenticator app (two-step sign-in)."
        )


def default_of(default: Default, answers: dict[str, str]) -> str:
    return default(answers) if callable(default) else default


def ask(question: str, default: str) -> str:
    suffix = f" [{default}]" if default else ""
    while True:
        answer = input(f"{question}{suffix}: ").strip() or default
        if answer:
            return answer


def program_data(answers: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {name: answers[name] for name in answers if name != "email"}
    for name in LISTS:
        data[name] = [item.strip() for item in answers[name].split(",") if item.strip()]
    return data


def form_problems(form: NewProgramForm) -> str:
    lines = [
        f"{form.fields[name].label if name in form.fields else name}: {' '.join(map(str, errors))}"
        for name, errors in form.errors.items()
    ]
    return "The first program cannot be created:\n  " + "\n  ".join(lines)


def open_administrator(email: str) -> User:
    """The installation's administrator (a superuser: every program, the Django admin),
    without a password: the invitation lets them choose one. Audited as they are opened."""
    invitation = invite_person(email=email, invited_by=None)
    administrator = invitation.user
    administrator.is_staff = administrator.is_superuser = True
    # Nobody is signed in to open the first account: it is set up by nobody but itself.
    return save_account(
        user=administrator,
        changed_fields=["is_staff", "is_superuser"],
        created=False,
        by=administrator,
    )
