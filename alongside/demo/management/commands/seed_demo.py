"""Fill the database with demo programs, supporters, requests and matches (see alongside/demo/).

Running it again changes nothing: programs that already exist are left as they are.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from alongside.demo.guard import refuse_unless_demo
from alongside.demo.seed import seed_demo
from alongside.demo.shared import DEMO_PROGRAM_SLUGS, login_rows
from alongside.programs.models import Program


class Command(BaseCommand):
    help = "Create three demo peer support programs with supporters, requests and matches."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins; create nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_unless_demo("seed_demo")
        if not options["logins"]:
            started = time.monotonic()
            for summary in seed_demo():
                if summary.created:
                    self.stdout.write(
                        self.style.SUCCESS(f"Created {summary.name}: ")
                        + f"{summary.supporters} supporters, {summary.requests} requests, "
                        f"{summary.matches} matches, {summary.contacts} contacts."
                    )
                else:
                    self.stdout.write(f"{summary.name} already exists; left as it is.")
            self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.\n")
        elif Program.objects.filter(slug__in=DEMO_PROGRAM_SLUGS).count() < len(DEMO_PROGRAM_SLUGS):
            self.stdout.write(
                self.style.WARNING("The demo data is not (all) there yet: run seed_demo first.\n")
            )
        self.write_logins()

    def write_logins(self) -> None:
        header = ("E-mail", "Role", "Program", "Password")
        rows = [header, *login_rows()]
        widths = [max(len(row[column]) for row in rows) for column in range(len(header))]
        rule = "  ".join("-" * width for width in widths)
        self.stdout.write(self.style.MIGRATE_HEADING("Demo logins"))
        for number, row in enumerate(rows):
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )
            if number == 0:
                self.stdout.write(rule)
        self.stdout.write(
            "Administrators, coordinators, supervisors and privacy leads set up an authenticator "
            "app (two-step sign-in) the first time they sign in."
        )
