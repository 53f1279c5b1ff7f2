"""Generate a province: many programs, supporters, requests, matches and contacts, valid through
the services' rules (see alongside/demo/province/). For benchmarks and load runs, in a database
of its own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/alongside_province \\
        .venv/bin/python manage.py migrate
    DATABASE_URL=... .venv/bin/python manage.py generate_province          # 50,000 supporters
    DATABASE_URL=... .venv/bin/python manage.py generate_province --supporters 2000 --largest 500 \\
        --waiting 100 --open-matches 200 --contacts 1000                      # a small one
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from alongside.demo.province.build import DEFAULT_SEED, ProvinceError, generate_province
from alongside.demo.province.matches import TooFewPlacesError
from alongside.demo.province.programs import coordinator_email
from alongside.demo.province.sizes import ProvinceSizes, SizeError
from alongside.demo.shared import DEMO_PASSWORD

DEFAULTS = ProvinceSizes()


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
        )
        for option, default, what in sizes:
            parser.add_argument(option, type=int, default=default, help=f"{what} ({default})")
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
        sizes = ProvinceSizes(
            programs=options["programs"],
            supporters=options["supporters"],
            largest=options["largest"],
            waiting=options["waiting"],
            open_matches=options["open_matches"],
            contacts=options["contacts"],
            proposals=options["proposals"],
            coordinators=options["coordinators"],
            largest_waiting=options["largest_waiting"],
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
