"""Check a restored database against its backup's manifest, with the configured keys.

    manage.py check_restore /var/backups/alongside/alongside-sqlite-20261130T020000Z.sqlite3

Every table's row count must equal the manifest's; the newest few values of every encrypted
field must decrypt with ALONGSIDE_FIELD_KEYS and their search indexes be written with a key of
ALONGSIDE_INDEX_KEYS. It names tables and fields, never a value, and exits 1 on any difference.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from alongside.core.backup_manifest import BackupError, read_manifest
from alongside.core.restore_check import report_check


class Command(BaseCommand):
    help = (
        "Compares the configured database with a backup's manifest (row counts) and decrypts a "
        "sample of every encrypted field with the configured keys; exits 1 on any difference."
    )
    # It must run when the keys are wrong (alongside.E008 refuses to start): it says so.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("backup_file", type=Path)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = read_manifest(options["backup_file"])
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        report_check(self, manifest=manifest, using=options["database"])
