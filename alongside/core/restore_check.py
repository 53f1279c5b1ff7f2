"""The check of a restored database against its backup's manifest, with the keys at hand.

Every table's row count must be the manifest's; the newest few values of every encrypted field
must decrypt with ALONGSIDE_FIELD_KEYS, and their search indexes be written with a key of
ALONGSIDE_INDEX_KEYS. Stored values are read as stored (see core/field_keys.py): the check
names tables and fields, never a value.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from alongside.core import blind_index
from alongside.core.backup_manifest import (
    BackupError,
    count_rows,
    engine_of,
    key_check_opens,
    keys_in_use,
)
from alongside.core.encryption import is_unreadable
from alongside.core.field_keys import (
    SAMPLE_ROWS_PER_MODEL,
    models_with_encrypted_fields,
    opens,
    stored_tokens,
)


@dataclass
class RestoreCheck:
    """What check_restore found: the problems (tables, fields; never a value) and the sizes."""

    problems: list[str] = field(default_factory=list)
    tables: int = 0
    rows: int = 0
    decrypted: int = 0


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


def report_check(command: BaseCommand, *, manifest: dict[str, Any], using: str) -> None:
    """Print the check's findings; a CommandError (exit 1) when anything differs."""
    try:
        result = check_restore(manifest=manifest, using=using)
    except BackupError as error:
        raise CommandError(str(error), returncode=1) from None
    for problem in result.problems:
        command.stderr.write(f"- {problem}")
    if result.problems:
        raise CommandError(
            f"The restored database differs from the backup of {manifest['taken_at']} or cannot "
            f"be read with the configured keys: {len(result.problems)} problems above.",
            returncode=1,
        )
    sampled = (
        f"{result.decrypted} encrypted values sampled, all decrypted with the configured keys"
        if result.decrypted
        else "no encrypted value stored to sample"
    )
    command.stdout.write(
        command.style.SUCCESS(
            f"Restore checked: {result.tables} tables and {result.rows} rows as in the backup "
            f"of {manifest['taken_at']}; {sampled}."
        )
    )
