"""The restore drill, on the engine of the test database: back up, restore into a second,
fresh database, check it with the keys, and read a name back; what must fail, fails clearly."""

import json
import os
import re
import sqlite3
import stat
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.db.utils import load_backend
from django.test import override_settings

from alongside.core import backup_manifest, backups, blind_index
from alongside.intake.factories import PeerFactory
from alongside.intake.models import Peer
from alongside.matches.factories import ContactLogFactory

RESTORED = "restored"
LAST_NAME = "Gagnon-Tremblay"


def run(command: str, *arguments: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(command, *arguments, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failure(command: str, *arguments: str) -> tuple[CommandError, str]:
    """The CommandError (what manage.py prints, exit status and all) and what went to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command(command, *arguments, stdout=StringIO(), stderr=err)
    return raised.value, err.getvalue()


def take_backup(directory: Path) -> tuple[Path, str]:
    out, _err = run("backup_database", "--output-dir", str(directory))
    backup = Path(re.search(r"^Backup: (.+)$", out, re.MULTILINE)[1])  # type: ignore[index]
    return backup, out


@pytest.fixture
def peer(transactional_db: None) -> Peer:
    """Rows with encrypted fields in several tables, committed as an installation's are."""
    ContactLogFactory(note="Talked about the first weeks after diagnosis.")
    return PeerFactory(last_name=LAST_NAME, email="sam.gagnon@example.net", phone="514 555 0199")


@pytest.fixture
def restored_database(tmp_path: Path) -> Iterator[str]:
    """A second, empty database of the test database's engine, as the alias `restored`."""
    settings_dict = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "restored.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_restored"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    # A connection made here, outside settings.DATABASES, as an operator's second installation
    # would be: Django's test isolation allows such connections.
    connections[RESTORED] = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, RESTORED
    )
    try:
        yield RESTORED
    finally:
        connections[RESTORED].close()
        del connections[RESTORED]
        if connection.vendor != "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_readable_with_the_same_keys(
    peer: Peer, restored_database: str, tmp_path: Path
) -> None:
    backup, _out = take_backup(tmp_path / "backups")

    out, err = run("restore_database", str(backup), "--database", restored_database)

    assert "Restore checked" in out, err
    assert "encrypted values sampled, all decrypted with the configured keys" in out
    restored = Peer.objects.using(restored_database).get(pk=peer.pk)
    assert restored.last_name == LAST_NAME
    found = Peer.objects.using(restored_database).filter(
        blind_index.matches(Peer, "last_name", "tremblay")
    )
    assert list(found) == [restored]
    assert LAST_NAME.encode() not in backup.read_bytes()
    checked, _err = run("check_restore", str(backup), "--database", restored_database)
    assert "Restore checked" in checked
    # Once it holds data, a database is replaced only when asked to.
    refused, _err = failure("restore_database", str(backup), "--database", restored_database)
    assert refused.returncode == 1
    assert "holds data (" in str(refused)
    assert "add --force" in str(refused)
    forced, _err = run("restore_database", str(backup), "--database", restored_database, "--force")
    assert "Restore checked" in forced
    assert Peer.objects.using(restored_database).get(pk=peer.pk).last_name == LAST_NAME


def test_other_keys_fail_the_check_naming_the_fields_without_a_value(
    peer: Peer, tmp_path: Path
) -> None:
    backup, _out = take_backup(tmp_path / "backups")

    with override_settings(FIELD_ENCRYPTION_KEYS=[Fernet.generate_key().decode()]):
        field_keys_error, field_keys_said = failure("check_restore", str(backup))
    with override_settings(BLIND_INDEX_KEYS=["another index key"]):
        index_keys_error, index_keys_said = failure("check_restore", str(backup))

    assert field_keys_error.returncode == 1
    assert "cannot be read with the configured keys" in str(field_keys_error)
    assert re.search(
        r"intake.Peer.last_name: \d of the \d values sampled cannot be decrypted", field_keys_said
    )
    assert "opens the database's key-check value" in field_keys_said
    assert "the backup was taken with the key of fingerprint" in field_keys_said
    said = field_keys_said + str(field_keys_error) + index_keys_said + str(index_keys_error)
    assert LAST_NAME not in said
    assert "sam.gagnon" not in said
    assert index_keys_error.returncode == 1
    assert "intake.Peer.last_name: its search index was not written with any key" in (
        index_keys_said
    )


@pytest.mark.django_db
def test_the_backup_is_private_named_by_engine_and_utc_time_and_counted_in_its_manifest(
    tmp_path: Path,
) -> None:
    backup, out = take_backup(tmp_path / "backups")

    manifest_path = backup_manifest.manifest_path_for(backup)
    manifest = json.loads(manifest_path.read_text())
    assert re.fullmatch(rf"alongside-{connection.vendor}-\d{{8}}T\d{{6}}Z\.\w+", backup.name)
    assert sorted(path.name for path in backup.parent.iterdir()) == sorted(
        [backup.name, manifest_path.name]
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert stat.S_IMODE(manifest_path.stat().st_mode) == 0o600
    assert manifest["engine"] == connection.vendor
    assert manifest["tables"]["django_content_type"] == ContentType.objects.count() > 0
    assert manifest["keys"]["field_keys"] == [
        backup_manifest.key_fingerprint(key) for key in settings.FIELD_ENCRYPTION_KEYS
    ]
    assert "ALONGSIDE_FIELD_KEYS and ALONGSIDE_INDEX_KEYS" in out
    assert "NOT in it" in out
    for key in [*settings.FIELD_ENCRYPTION_KEYS, *settings.BLIND_INDEX_KEYS]:
        assert key not in manifest_path.read_text()
        assert key not in out


@pytest.mark.django_db
def test_a_table_whose_count_differs_or_is_missing_is_named(tmp_path: Path) -> None:
    backup, _out = take_backup(tmp_path / "backups")
    manifest_path = backup_manifest.manifest_path_for(backup)
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["django_content_type"] += 1
    del manifest["tables"]["auth_permission"]
    manifest["tables"]["intake_retired"] = 4
    manifest_path.write_text(json.dumps(manifest))

    error, said = failure("check_restore", str(backup))

    content_types = ContentType.objects.count()
    permissions = Permission.objects.count()
    assert error.returncode == 1
    assert (
        f"table django_content_type holds {content_types} rows, the backup {content_types + 1}"
        in said
    )
    assert f"table auth_permission ({permissions} rows) is not in the backup" in said
    assert "table intake_retired is missing (the backup holds 4 rows)" in said
    assert "3 problems" in str(error)


def test_a_backup_of_the_other_engine_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "other-engine"
    if connection.vendor == "sqlite":
        other.write_bytes(b"PGDMP\x01\x0e\x00")
        expected = "was taken from PostgreSQL and the configured database is SQLite"
    else:
        sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
        expected = "was taken from SQLite and the configured database is PostgreSQL"

    error, _err = failure("restore_database", str(other))

    assert expected in str(error)


@pytest.mark.django_db
def test_a_failed_dump_leaves_no_file_under_a_backups_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "backups"
    if connection.vendor == "sqlite":

        def half_copy(*, source: Path, target: Path) -> dict[str, int]:
            target.write_bytes(backup_manifest.SQLITE_MAGIC + b"half")
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(backups, "copy_sqlite", half_copy)
        said = "database or disk is full"
    else:
        # A pg_dump that writes half an archive and fails; it records what it was given.
        tools = tmp_path / "bin"
        tools.mkdir()
        fake = tools / "pg_dump"
        fake.write_text(
            "#!/bin/sh\n"
            f'echo "$@ PGPASSWORD=$PGPASSWORD" > {tmp_path}/given\n'
            'for a in "$@"; do case $a in --file=*) printf PGDMP > "${a#--file=}";; esac; done\n'
            "echo 'pg_dump: error: could not write to output file' >&2; exit 1\n"
        )
        fake.chmod(0o700)
        monkeypatch.setenv("PATH", f"{tools}{os.pathsep}{os.environ['PATH']}")
        monkeypatch.setitem(connection.settings_dict, "PASSWORD", "not-on-the-command-line")
        said = "could not write to output file"

    error, _err = failure("backup_database", "--output-dir", str(directory))

    assert said in str(error)
    assert list(directory.iterdir()) == []
    if connection.vendor != "sqlite":
        given = (tmp_path / "given").read_text()
        assert given.startswith("--format=custom")
        assert given.strip().endswith("PGPASSWORD=not-on-the-command-line")
        assert given.count("not-on-the-command-line") == 1
        assert "not-on-the-command-line" not in str(error)


def test_without_pg_dump_on_the_path_the_backup_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")

    with pytest.raises(backup_manifest.BackupError, match="apt install postgresql-client"):
        backups.pg_tool("pg_dump")


def test_an_sqlite_backup_taken_while_another_connection_writes_is_consistent(
    tmp_path: Path,
) -> None:
    """Rows still in the write-ahead log are in the backup (a copy of the file loses them), and
    a transaction writing two tables is in it whole or not at all."""
    source = tmp_path / "live.sqlite3"
    setup = sqlite3.connect(source, isolation_level=None)
    setup.execute("PRAGMA journal_mode=WAL")
    setup.execute("PRAGMA wal_autocheckpoint=0")
    setup.execute("CREATE TABLE requests (id INTEGER PRIMARY KEY, note TEXT)")
    setup.execute("CREATE TABLE events (id INTEGER PRIMARY KEY, request_id INTEGER)")

    def write_pair(writer: sqlite3.Connection) -> None:
        with writer:
            request_id = writer.execute("INSERT INTO requests (note) VALUES ('x')").lastrowid
            writer.execute("INSERT INTO events (request_id) VALUES (?)", (request_id,))

    writer = sqlite3.connect(source, check_same_thread=False, timeout=20)
    writer.execute("PRAGMA wal_autocheckpoint=0")
    writer.execute("PRAGMA synchronous=OFF")  # speed: durability is not what is tested
    for _ in range(100):
        write_pair(writer)
    file_copy = tmp_path / "copied.sqlite3"
    file_copy.write_bytes(source.read_bytes())
    stop = threading.Event()

    def write_until_stopped() -> None:
        while not stop.is_set():
            write_pair(writer)

    writes_during_backup = threading.Thread(target=write_until_stopped)

    writes_during_backup.start()
    try:
        counts = backups.copy_sqlite(source=source, target=tmp_path / "backup.sqlite3")
    finally:
        stop.set()
        writes_during_backup.join()
        writer.close()
        setup.close()

    backup = sqlite3.connect(tmp_path / "backup.sqlite3")
    copied = sqlite3.connect(file_copy)
    assert backup.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    in_backup = backup.execute("SELECT COUNT(*) FROM requests").fetchone()[0]
    assert in_backup == backup.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    assert in_backup >= 100
    assert counts == {"events": in_backup, "requests": in_backup}
    assert copied.execute("SELECT name FROM sqlite_master WHERE name = 'requests'").fetchall() == []
    assert not Path(f"{tmp_path / 'backup.sqlite3'}-wal").exists()
