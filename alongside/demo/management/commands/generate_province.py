"""Generate a province: many programs, supporters, requests, matches and contacts, valid through
the services' rules (see alongside/demo/province/). For benchmarks and load runs, in a database
of its own:

    export ALONGSIDE_DEMO=true     # its accounts share the demo password (alongside/demo/guard.py)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_province \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py generate_province          # 50,000 supporters
    DATABASE_URL=... .venv/bin/python manage.py generate_province --supporters 2000 --largest 500 \\
        --waiting 100 --open-matches 200 --contacts 1000                      # a small one
    DATABASE_URL=... .venv/bin/python manage.py generate_province --size insight
        # the insight issue's: 10,000 supporters, 20,000 requests over eighteen months, 5,000
        # open matches, 100,000 contacts, 50,000 hours reports, with closures, surveys,
        # escalations, wellbeing and group sessions (a few minutes on PostgreSQL)

Every size option overrides the chosen --size's.
"""

from dataclasses import replace
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.demo.guard import refuse_unless_demo
from alongside.demo.province.build import DEFAULT_SEED, ProvinceError, generate_province
from alongside.demo.province.matches import TooFewPlacesError
from alongside.demo.province.programs import coordinator_email
from alongside.demo.province.sizes import PRESETS, ProvinceSizes, SizeError
from alongside.demo.shared import DEMO_PASSWORD

DEFAULTS = ProvinceSizes()
SIZE_NAMES = (
    "programs",
    "supporters",
    "largest",
    "waiting",
    "open_matches",
    "contacts",
    "proposals",
    "coordinators",
    "largest_waiting",
    "requests",
    "hours_reports",
)


class Command(BaseCommand):
    help = "Generate a province of programs with supporters, requests, matches and contacts."

    def add_arguments(self, parser: CommandParser) -> None:
        sizes = (
            ("--programs", DEFAULTS.programs, "programs"),
            ("--supporters", DEFAULTS.supporters, "supporters in all"),
            ("--largest", DEFAULTS.largest, "supporters in the largest program"),
            ("--waiting", DEFAULTS.waiting, "requests waiting for a match, in all"),
            ("--open-matches", DEFAULTS.open_matches, "open matches, in all"),
            ("--contacts", DEFAULTS.contacts, "contacts logged on the open matches, in all"),
            ("--proposals", DEFAULTS.proposals, "open proposals, each holding a waiting request"),
            ("--coordinators", DEFAULTS.coordinators, "coordinators of the largest program"),
            ("--requests", DEFAULTS.requests, "requests over the last 18 months, in all (0: none)"),
            ("--hours-reports", DEFAULTS.hours_reports, "monthly hours reports, in all"),
        )
        parser.add_argument(
            "--size",
            choices=sorted(PRESETS),
            default="province",
            help="the sizes to start from: the scale issue's province (no history) or the "
            "insight issue's (with eighteen months of history)",
        )
        for option, default, what in sizes:
            parser.add_argument(option, type=int, default=None, help=f"{what} ({default})")
        parser.add_argument(
            "--largest-waiting",
            type=int,
            default=None,
            help="requests waiting in the largest program (its share of --waiting when not given)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="the random seed")
        parser.add_argument(
            "--force",
            action="store_true",
            help="add the province to a database that already holds other programs or accounts",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        refuse_unless_demo("generate_province")
        sizes = replace(
            PRESETS[options["size"]],
            **{name: options[name] for name in SIZE_NAMES if options[name] is not None},
        )
        try:
            made = generate_province(
                sizes, seed=options["seed"], force=options["force"], say=self.stdout.write
            )
        except (SizeError, ProvinceError, TooFewPlacesError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Built and checked the province in {made.seconds:.0f} s.")
        )
        largest = made.programs[0].name
        self.stdout.write(self.style.MIGRATE_HEADING(f"Coordinator login for {largest}"))
        self.stdout.write(f"{coordinator_email(1, 1)}  password: {DEMO_PASSWORD}")
        if sizes.coordinators > 1:
            self.stdout.write(
                f"(also {coordinator_email(1, 2)} to {coordinator_email(1, sizes.coordinators)}, "
                "same password)"
            )
        self.stdout.write(
            "Coordinators set up an authenticator app (two-step sign-in) the first time they "
            "sign in."
        )
