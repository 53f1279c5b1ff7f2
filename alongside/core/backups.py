"""Backups of the whole database and their restore, on SQLite and PostgreSQL.

PostgreSQL is dumped by `pg_dump --format=custom` inside a snapshot that the row counts are read
from too, and restored by `pg_restore`; the connection's password and host reach both through
libpq's environment (PGPASSWORD, PGHOST, …), never their command line. SQLite is copied through
its online backup API, which reads one consistent snapshot including what still sits in the
write-ahead log: a copy of the file alone loses the rows committed since the last checkpoint.

A backup is written under a temporary name and renamed once complete, so a file under a
backup's name is always whole; beside it a manifest (JSON) holds every table's row count and the
fingerprints of the keys in use. The keys themselves are not in the backup: without
ALONGSIDE_FIELD_KEYS its encrypted fields cannot be read, without ALONGSIDE_INDEX_KEYS its
encrypted names cannot be searched. `check_restore` (core/restore_check.py) compares a
restored database with the manifest and decrypts a sample of every encrypted field.
"""

import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.postgresql.client import DatabaseClient
from django.utils import timezone

from alongside.core.backup_manifest import (
    ENGINE_NAMES,
    EXTENSIONS,
    MANIFEST_FORMAT,
    WRITTEN_BY_MIGRATE,
    BackupError,
    count_rows,
    engine_of,
    engine_of_file,
    key_check_opens,
    keys_in_use,
    manifest_path_for,
    read_manifest,
    sha256_of,
    write_privately,
)


@dataclass(frozen=True)
class Backup:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


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
