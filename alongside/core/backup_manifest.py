"""What a backup is made of apart from its data: the manifest beside it (every table's row
count, the key fingerprints), the private, all-or-nothing file writing, and the engine of a file.

A key's fingerprint identifies it in a manifest and in the commands' output without giving it
away: the keys themselves are never written beside a backup (see core/backups.py).
"""

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from alongside.core.field_keys import KEY_CHECK_PK, opens

MANIFEST_FORMAT = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# What `migrate` writes into a new database on its own (and the shared cache's passing
# counters): rows there do not make a database one that a restore would overwrite.
WRITTEN_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "core_fieldkeycheck",
        "outcomes_instrument",
        "alongside_shared_cache",
    }
)
KEYS_REMINDER = (
    "This backup is useless without ALONGSIDE_FIELD_KEYS and ALONGSIDE_INDEX_KEYS: they are "
    "NOT in it. Keep them apart from it (not in the same place, not with the same access), "
    "and check that the keys you keep have the fingerprints written in the manifest."
)


class BackupError(Exception):
    """A backup or restore that cannot be done, in a sentence for the operator."""


# --- keys -------------------------------------------------------------------------------------


def key_fingerprint(key: str) -> str:
    """A key's identity for manifests and operators: a digest that cannot give the key back."""
    return hashlib.sha256(b"alongside key fingerprint\x00" + key.encode()).hexdigest()[:16]


def keys_in_use() -> dict[str, Any]:
    return {
        "field_keys": [key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS],
        "index_keys": [key_fingerprint(key) for key in settings.BLIND_INDEX_KEYS],
    }


# --- files ------------------------------------------------------------------------------------


def engine_of(using: str = DEFAULT_DB_ALIAS) -> str:
    vendor = connections[using].vendor
    if vendor not in EXTENSIONS:
        raise BackupError(f"Backups know SQLite and PostgreSQL, not {vendor}.")
    return vendor


def engine_of_file(path: Path) -> str | None:
    with path.open("rb") as file:
        start = file.read(len(SQLITE_MAGIC))
    if start.startswith(SQLITE_MAGIC):
        return "sqlite"
    if start.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    return None


def manifest_path_for(backup_file: Path) -> Path:
    return backup_file.with_name(f"{backup_file.stem}.manifest.json")


def read_manifest(backup_file: Path) -> dict[str, Any]:
    path = manifest_path_for(backup_file)
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"No manifest beside the backup: {path} is missing.") from None
    except (OSError, ValueError) as error:
        raise BackupError(f"The manifest {path} cannot be read: {error}.") from None
    if manifest.get("format") != MANIFEST_FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{path} is not an Alongside backup manifest (format 1).")
    return manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def write_privately(path: Path, fill: Callable[[Path], object]) -> None:
    """Fill a 0600 file under a temporary name beside `path` and rename it once complete: on
    any failure the temporary file is removed and nothing is left under `path`."""
    if path.exists():
        raise BackupError(f"{path} exists already; nothing was overwritten.")
    descriptor, temporary_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(descriptor)
    temporary = Path(temporary_name)
    try:
        fill(temporary)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


# --- row counts -------------------------------------------------------------------------------

TABLES_QUERY = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
    "postgresql": (
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
    ),
}


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def count_rows(cursor: Any, engine: str) -> dict[str, int]:
    """Every table's row count, read through any DB-API cursor of `engine`."""
    cursor.execute(TABLES_QUERY[engine])
    tables = sorted(str(row[0]) for row in cursor.fetchall())
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {quoted(table)}")  # noqa: S608 (a table's name)
        counts[table] = int(cursor.fetchone()[0])
    return counts


def key_check_opens(*, using: str) -> bool | None:
    """Whether the configured keys open the database's key-check value (None: none stored)."""
    from alongside.core.models import FieldKeyCheck

    check = FieldKeyCheck.objects.using(using).filter(pk=KEY_CHECK_PK).first()
    return None if check is None else opens(check.token)
