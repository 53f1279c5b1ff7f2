"""De-identify or delete what each program keeps past its retention, as the daily job does.

    .venv/bin/python manage.py apply_retention [--dry-run] [--program SLUG]

prints, for each program and each kind of record, how many went (with --dry-run: how many would
go today, and nothing changes). Never a name: only counts, and the ids of items that failed.
"""

from typing import Any
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from alongside.privacy import retention
from alongside.privacy.models import RetentionKind
from alongside.programs.models import Program


class Command(BaseCommand):
    help = "De-identify or delete what each program keeps past its retention (or count it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would go today; change nothing."
        )
        parser.add_argument("--program", metavar="SLUG", help="Only this program.")

    def handle(self, *args: Any, **options: Any) -> None:
        programs = Program.objects.order_by("pk")
        if options["program"]:
            programs = programs.filter(slug=options["program"])
            if not programs.exists():
                raise CommandError(f"No program has the code {options['program']!r}.")
        dry_run = bool(options["dry_run"])
        now = timezone.now()
        for program in programs:
            today = now.astimezone(ZoneInfo(program.time_zone)).date()
            outcome = retention.apply(program, today, dry_run=dry_run)
            verb = "would go" if dry_run else "went"
            self.stdout.write(f"{program.slug} ({today}):")
            for kind in RetentionKind:
                failed = outcome.failed[kind]
                line = f"  {kind.value}: {outcome.done[kind]} {verb}"
                if failed:
                    line += f"; {len(failed)} failed: #" + ", #".join(map(str, failed))
                self.stdout.write(line)
