"""Restore a backup of backup_database into the configured database, then check it.

    manage.py restore_database /var/backups/alongside/alongside-postgresql-20261130T020000Z.dump

The database must be empty (new, or only migrated) unless --force is given; stop the app
servers and workers first. The check of check_restore runs at the end; it fails (exit 1) when a
table's count differs or the configured keys cannot read the sample.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from alongside.core.backup_manifest import BackupError, read_manifest
from alongside.core.backups import restore_database
from alongside.core.restore_check import report_check


class Command(BaseCommand):
    help = (
        "Restores a backup (pg_restore or SQLite's backup API) into the configured, empty "
        "database (--force: one holding data), then checks it as check_restore does."
    )
    # The database may be empty or hold another installation: nothing may be asked of it first.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup_file", type=Path)
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that holds data."
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        backup_file: Path = options["backup_file"]
        try:
            restore_database(
                backup_file=backup_file, using=options["database"], force=options["force"]
            )
            manifest = read_manifest(backup_file)
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        self.stdout.write(f"Restored {backup_file.name}.")
        report_check(self, manifest=manifest, using=options["database"])
