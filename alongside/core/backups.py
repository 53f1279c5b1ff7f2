"""Backups of the whole database, their restore, and the check that a restore is complete and
readable with the keys at hand.

PostgreSQL is dumped by `pg_dump --format=custom` inside a snapshot that the row counts are read
from too, and restored by `pg_restore`; the connection's password and host reach both through
libpq's environment (PGPASSWORD, PGHOST, …), never their command line. SQLite is copied through
its online backup API, which reads one consistent snapshot including what still sits in the
write-ahead log: a copy of the file alone loses the rows committed since the last checkpoint.

A backup is written under a temporary name and renamed once complete, so a file under a
backup's name is always whole; beside it a manifest (JSON) holds every table's row count and the
fingerprints of the keys in use. The keys themselves are not in the backup: without
ALONGSIDE_FIELD_KEYS its encrypted fields cannot be read, without ALONGSIDE_INDEX_KEYS its
encrypted names cannot be searched. `check_restore` compares a restored database with the
manifest and decrypts a sample of every encrypted field; it names tables and fields, never a
value.
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

from alongside.core import blind_index
from alongside.core.encryption import is_unreadable
from alongside.core.field_keys import (
    KEY_CHECK_PK,
    SAMPLE_ROWS_PER_MODEL,
    models_with_encrypted_fields,
    opens,
    stored_tokens,
)

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


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreCheck:
    """What check_restore found: the problems (tables, fields; never a value) and the sizes."""

    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    decrypted: int = 0


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


def write_privately(path: Path, fill: Callable[[Path], None]) -> None:
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


# --- backup -----------------------------------------------------------------------------------


def backup_database(
    *, output_dir: Path, using: str = DEFAULT_DB_ALIAS, now: dt.datetime | None = None
) -> Backup:
    """Write a whole backup and its manifest into `output_dir` (created 0700 if missing)."""
    engine = engine_of(using)
    taken_at = (now or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)
    output_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"alongside-{engine}-{taken_at:%Y%m%dT%H%M%SZ}"
    path = output_dir / f"{name}.{EXTENSIONS[engine]}"
    counts: dict[str, int] = {}

    def dump(temporary: Path) -> None:
        if engine == "postgresql":
            counts.update(run_pg_dump(using=using, target=temporary))
            return
        try:
            counts.update(copy_sqlite(source=sqlite_path(using), target=temporary))
        except sqlite3.Error as error:
            raise BackupError(f"SQLite's backup failed: {error}.") from None

    write_privately(path, dump)
    manifest = {
        "format": MANIFEST_FORMAT,
        "engine": engine,
        "file": path.name,
        "sha256": sha256_of(path),
        "taken_at": taken_at.isoformat(),
        "tables": counts,
        "keys": keys_in_use(),
        "key_check_opens": key_check_opens(using=using),
    }
    manifest_path = manifest_path_for(path)
    write_privately(
        manifest_path, lambda temporary: temporary.write_text(json.dumps(manifest, indent=2))
    )
    return Backup(path=path, manifest_path=manifest_path, manifest=manifest)


def sqlite_path(using: str) -> Path:
    path = Path(str(connections[using].settings_dict["NAME"]))
    if not path.is_file():
        raise BackupError(f"The SQLite database {path} does not exist.")
    return path


def copy_sqlite(*, source: Path, target: Path) -> dict[str, int]:
    """Copy `source` into the file `target` in one step of SQLite's backup API (one snapshot,
    the write-ahead log included); returns the copy's row counts. The copy is left as a single
    file, without a log of its own."""
    reader = sqlite3.connect(source, timeout=20)
    writer = sqlite3.connect(target)
    try:
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=DELETE")
        return count_rows(writer.cursor(), "sqlite")
    finally:
        writer.close()
        reader.close()


def libpq_environment(using: str) -> dict[str, str]:
    """The connection's settings as libpq reads them from the environment: nothing secret on a
    command line that `ps` shows."""
    database = connections[using].settings_dict
    _arguments, secrets = DatabaseClient.settings_to_cmd_args_env(database, [])
    environment = {**os.environ, **(secrets or {})}
    for variable, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGDATABASE", "NAME"),
    ):
        if database.get(setting):
            environment[variable] = str(database[setting])
    return environment


def pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} was not found on PATH: install PostgreSQL's client programs "
            "(Debian: apt install postgresql-client, the same major version as the server)."
        )
    return found


def run_pg_tool(arguments: list[str], *, using: str) -> None:
    finished = subprocess.run(  # noqa: S603 (no shell; the arguments hold no secret)
        arguments, env=libpq_environment(using), capture_output=True, text=True, check=False
    )
    if finished.returncode != 0:
        said = finished.stderr.strip().splitlines()[-5:]
        raise BackupError(
            f"{Path(arguments[0]).name} failed (exit {finished.returncode}): " + " / ".join(said)
        )


def run_pg_dump(*, using: str, target: Path) -> dict[str, int]:
    """Dump the database into `target` from a snapshot held open by a connection of our own,
    and count its rows in that same snapshot: the counts are those of the dump."""
    executable = pg_tool("pg_dump")
    connection = psycopg.connect(**connections[using].get_connection_params())
    try:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = str(cursor.fetchone()[0])  # type: ignore[index]
            run_pg_tool(
                [
                    executable,
                    "--format=custom",
                    "--no-password",
                    f"--snapshot={snapshot}",
                    f"--file={target}",
                ],
                using=using,
            )
            return count_rows(cursor, "postgresql")
    finally:
        connection.close()


def key_check_opens(*, using: str) -> bool | None:
    """Whether the configured keys open the database's key-check value (None: none stored)."""
    from alongside.core.models import FieldKeyCheck

    check = FieldKeyCheck.objects.using(using).filter(pk=KEY_CHECK_PK).first()
    return None if check is None else opens(check.token)


# --- restore ----------------------------------------------------------------------------------


def restore_database(*, backup_file: Path, using: str = DEFAULT_DB_ALIAS, force: bool) -> None:
    """Replace the configured database with the backup's content. Refuses a backup of the other
    engine, a file the manifest does not describe, and a database holding data unless forced."""
    engine = engine_of(using)
    if not backup_file.is_file():
        raise BackupError(f"{backup_file} does not exist.")
    found = engine_of_file(backup_file)
    if found is None:
        raise BackupError(f"{backup_file} is neither a pg_dump archive nor an SQLite database.")
    if found != engine:
        raise BackupError(
            f"{backup_file.name} was taken from {ENGINE_NAMES[found]} and the configured "
            f"database is {ENGINE_NAMES[engine]}: point DATABASE_URL at a "
            f"{ENGINE_NAMES[found]} database to restore it."
        )
    manifest = read_manifest(backup_file)
    if manifest.get("sha256") != sha256_of(backup_file):
        raise BackupError(
            f"{backup_file.name} is not the file its manifest describes (its checksum differs): "
            "it is damaged or was replaced."
        )
    if not force:
        holding = tables_holding_data(using=using)
        if holding:
            raise BackupError(
                "The configured database holds data ("
                + ", ".join(f"{table}: {rows} rows" for table, rows in holding[:5])
                + "). Restore into an empty database, or add --force to replace it."
            )
    if engine == "sqlite":
        restore_sqlite(backup_file=backup_file, using=using)
    else:
        restore_postgresql(backup_file=backup_file, using=using)


def tables_holding_data(*, using: str) -> list[tuple[str, int]]:
    if engine_of(using) == "sqlite":
        target = Path(str(connections[using].settings_dict["NAME"]))
        if not target.exists() or target.stat().st_size == 0:
            return []
    with connections[using].cursor() as cursor:
        counts = count_rows(cursor, engine_of(using))
    return [
        (table, rows) for table, rows in counts.items() if rows and table not in WRITTEN_BY_MIGRATE
    ]


def restore_sqlite(*, backup_file: Path, using: str) -> None:
    """Write the backup over the database through SQLite's backup API, under its lock, so a
    reader sees the old database or the new one, never a mix."""
    connections[using].close()
    target = Path(str(connections[using].settings_dict["NAME"]))
    reader = sqlite3.connect(f"{backup_file.resolve().as_uri()}?mode=ro", uri=True)
    writer = sqlite3.connect(target, timeout=20)
    try:
        if reader.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{backup_file.name} is damaged (SQLite's quick_check failed).")
        reader.backup(writer)
        writer.execute("PRAGMA journal_mode=WAL")
    finally:
        writer.close()
        reader.close()


def restore_postgresql(*, backup_file: Path, using: str) -> None:
    """pg_restore in one transaction: it fails whole or replaces the objects whole."""
    connections[using].close()
    run_pg_tool(
        [
            pg_tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--no-password",
            f"--dbname={connections[using].settings_dict['NAME']}",
            str(backup_file),
        ],
        using=using,
    )


# --- the check after a restore ----------------------------------------------------------------


def check_restore(*, manifest: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> RestoreCheck:
    """Compare the database's row counts with the manifest, then decrypt a sample of every
    encrypted field and recompute its search index with the configured keys."""
    result = RestoreCheck()
    with connections[using].cursor() as cursor:
        counts = count_rows(cursor, engine_of(using))
    expected: dict[str, int] = manifest["tables"]
    result.tables = len(counts)
    result.rows = sum(counts.values())
    for table, rows in sorted(expected.items()):
        if table not in counts:
            result.problems.append(f"table {table} is missing (the backup holds {rows} rows)")
        elif counts[table] != rows:
            result.problems.append(f"table {table} holds {counts[table]} rows, the backup {rows}")
    for table in sorted(set(counts) - set(expected)):
        if counts[table]:
            result.problems.append(f"table {table} ({counts[table]} rows) is not in the backup")
    result.problems.extend(key_problems(manifest, using=using))
    decrypted, unreadable = sample_encrypted_fields(using=using)
    result.decrypted = decrypted
    result.problems.extend(unreadable)
    result.problems.extend(sample_blind_indexes(using=using))
    return result


def key_problems(manifest: dict[str, Any], *, using: str) -> list[str]:
    problems = []
    configured = keys_in_use()
    for setting, name in (
        ("field_keys", "ALONGSIDE_FIELD_KEYS"),
        ("index_keys", "ALONGSIDE_INDEX_KEYS"),
    ):
        taken_with = manifest.get("keys", {}).get(setting) or []
        if taken_with and taken_with[0] not in configured[setting]:
            problems.append(
                f"the backup was taken with the key of fingerprint {taken_with[0]} first in "
                f"{name}; none of the configured keys ({', '.join(configured[setting])}) is it"
            )
    if key_check_opens(using=using) is False:
        problems.append("no key of ALONGSIDE_FIELD_KEYS opens the database's key-check value")
    return problems


def sample_encrypted_fields(*, using: str) -> tuple[int, list[str]]:
    """Decrypt the newest few stored values of every encrypted field (read as stored, so no
    value is logged); returns how many opened and a sentence per field where some did not."""
    opened = 0
    problems = []
    for model, field_names in models_with_encrypted_fields():
        rows = list(
            stored_tokens(model, field_names, using=using).order_by("-pk")[:SAMPLE_ROWS_PER_MODEL]
        )
        for position, name in enumerate(field_names, start=1):
            tokens = [row[position] for row in rows if row[position]]
            failed = sum(1 for token in tokens if not opens(token))
            opened += len(tokens) - failed
            if failed:
                problems.append(
                    f"{model._meta.label}.{name}: {failed} of the {len(tokens)} values sampled "
                    "cannot be decrypted with ALONGSIDE_FIELD_KEYS"
                )
    return opened, problems


def sample_blind_indexes(*, using: str) -> list[str]:
    """Recompute the search index of the same sample with every configured index key: an index
    none of them writes means searches would miss those rows."""
    problems = []
    keys = blind_index.index_keys()
    for model, _names in models_with_encrypted_fields():
        fields = blind_index.index_fields(model)
        if not fields:
            continue
        rows = model._base_manager.using(using).order_by("-pk")[:SAMPLE_ROWS_PER_MODEL]
        for index in fields:
            if any(not indexed_with_a_key(row, index, keys) for row in rows):
                problems.append(
                    f"{model._meta.label}.{index.source}: its search index was not written "
                    "with any key of ALONGSIDE_INDEX_KEYS"
                )
    return problems


def indexed_with_a_key(row: Any, index: blind_index.BlindIndexField, keys: Iterable[bytes]) -> bool:
    if is_unreadable(getattr(row, index.source)):
        return True  # reported by the decryption sample already
    stored = getattr(row, index.attname)
    return any(index.value_for(row, key=key) == stored for key in keys)
