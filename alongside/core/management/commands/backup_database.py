"""Back up the configured database into a directory: the backup, its manifest, the reminder.

    manage.py backup_database --output-dir /var/backups/alongside

PostgreSQL through pg_dump (custom format), SQLite through its online backup API. The files are
0600 and appear under their names only once complete. The keys are not in the backup.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from alongside.core.backup_manifest import KEYS_REMINDER, BackupError
from alongside.core.backups import backup_database


class Command(BaseCommand):
    help = (
        "Backs up the configured database (pg_dump or SQLite's backup API) with a manifest of "
        "its row counts and key fingerprints; the keys are not in it."
    )
    # A backup must be possible when the keys are wrong or the checks fail: that is when one is
    # needed most.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output-dir", type=Path, required=True)
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            backup = backup_database(output_dir=options["output_dir"], using=options["database"])
        except BackupError as error:
            raise CommandError(str(error), returncode=1) from None
        manifest = backup.manifest
        self.stdout.write(f"Backup: {backup.path}")
        self.stdout.write(
            f"Manifest: {backup.manifest_path} ({len(manifest['tables'])} tables, "
            f"{sum(manifest['tables'].values())} rows)"
        )
        keys = manifest["keys"]
        self.stdout.write(
            f"Taken with ALONGSIDE_FIELD_KEYS {', '.join(keys['field_keys'])} and "
            f"ALONGSIDE_INDEX_KEYS {', '.join(keys['index_keys'])} (fingerprints)."
        )
        if manifest["key_check_opens"] is False:
            self.stderr.write(
                "The configured ALONGSIDE_FIELD_KEYS do not open this database's key-check "
                "value: keep the keys that do with this backup's keys."
            )
        self.stdout.write(self.style.WARNING(KEYS_REMINDER))
