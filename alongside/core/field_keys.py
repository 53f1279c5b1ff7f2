"""Whether ALONGSIDE_FIELD_KEYS opens the data already stored.

Two witnesses: the key-check row (core.FieldKeyCheck), encrypted with the key in use when it
was written, and a sample of the newest stored values of every encrypted field. The system
check alongside.E008 refuses to start when the keys open neither; `list_unreadable_fields`
walks every row. Stored values are read past the field (cast to plain text), so nothing here
decrypts through the model field or logs.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.functions import Cast
from django.utils import timezone

from alongside.core.encryption import FieldDecryptionError, decrypt, encrypt
from alongside.core.fields import EncryptedTextField

KEY_CHECK_PLAINTEXT = "alongside field key check"
KEY_CHECK_PK = 1
SAMPLE_ROWS_PER_MODEL = 3
BATCH_SIZE = 500


def encrypted_field_names(model: type[models.Model]) -> list[str]:
    return [
        field.name for field in model._meta.concrete_fields if isinstance(field, EncryptedTextField)
    ]


def models_with_encrypted_fields() -> list[tuple[type[models.Model], list[str]]]:
    found = []
    for model in apps.get_models():
        names = encrypted_field_names(model)
        if names and model._meta.managed and not model._meta.proxy:
            found.append((model, names))
    return found


@dataclass(frozen=True)
class SecretStore:
    """Secrets encrypted with the field keys outside an encrypted field, such as a library's
    JSON column, which the apps that own them register (`register_secret_store`) so that
    `rotate_field_keys` and `list_unreadable_fields` reach them too."""

    label: str
    # Re-encrypts every secret with the primary key, leaving those no key opens as they are;
    # returns how many rows were rewritten.
    rotate: Callable[[], int]
    # The primary keys of the rows holding a secret no configured key opens.
    unreadable: Callable[[], list[Any]]


_secret_stores: dict[str, SecretStore] = {}


def register_secret_store(store: SecretStore) -> None:
    _secret_stores[store.label] = store


def secret_stores() -> list[SecretStore]:
    return list(_secret_stores.values())


def database_is_set_up(using: str = DEFAULT_DB_ALIAS) -> bool:
    """True once the key-check table exists; never creates a database file to find out."""
    from alongside.core.models import FieldKeyCheck

    connection = connections[using]
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if name != ":memory:" and "mode=memory" not in name and not Path(name).exists():
            return False
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return FieldKeyCheck._meta.db_table in tables


def opens(token: str) -> bool:
    try:
        decrypt(token)
    except FieldDecryptionError:
        return False
    return True


def write_key_check(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Record the key in use: the key-check value, encrypted with the primary key."""
    from alongside.core.models import FieldKeyCheck

    FieldKeyCheck.objects.using(using).update_or_create(
        pk=KEY_CHECK_PK,
        defaults={"token": encrypt(KEY_CHECK_PLAINTEXT), "written_at": timezone.now()},
    )


def stored_tokens(
    model: type[models.Model], field_names: list[str], *, using: str
) -> "models.QuerySet[Any]":
    """(pk, token, token, …) per row, the tokens as stored: not decrypted, not logged."""
    raw = {f"stored_{name}": Cast(name, models.TextField()) for name in field_names}
    rows: models.QuerySet[Any] = (
        model._base_manager.using(using).annotate(**raw).values_list("pk", *raw)
    )
    return rows


@dataclass
class Sample:
    """The newest stored values of every encrypted field: how many open, and where some don't."""

    readable: int = 0
    unreadable: int = 0
    unreadable_in: list[str] = field(default_factory=list)


def sample_stored_values(*, using: str = DEFAULT_DB_ALIAS) -> Sample:
    sample = Sample()
    for model, field_names in models_with_encrypted_fields():
        rows = stored_tokens(model, field_names, using=using).order_by("-pk")
        failed_here = 0
        for _pk, *tokens in rows[:SAMPLE_ROWS_PER_MODEL]:
            for token in tokens:
                if not token:
                    continue
                if opens(token):
                    sample.readable += 1
                else:
                    failed_here += 1
        if failed_here:
            sample.unreadable += failed_here
            sample.unreadable_in.append(model._meta.label)
    return sample


def key_check_problem(*, using: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why the configured keys cannot open the data already stored, or None when they can."""
    from alongside.core.models import FieldKeyCheck

    key_check = FieldKeyCheck.objects.using(using).filter(pk=KEY_CHECK_PK).first()
    if key_check is not None:
        if opens(key_check.token):
            return None
        return (
            "none of its keys opens the key-check value written "
            f"{key_check.written_at:%Y-%m-%d %H:%M} UTC with the key then in use"
        )
    sample = sample_stored_values(using=using)
    if sample.unreadable and not sample.readable:
        return (
            f"none of the {sample.unreadable} newest stored values sampled "
            f"({', '.join(sample.unreadable_in)}) opens with its keys"
        )
    return None


def write_key_check_if_missing(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """After migrate: record the key in use, unless the data stored says it is the wrong one."""
    from alongside.core.models import FieldKeyCheck

    if not database_is_set_up(using):
        return False
    if FieldKeyCheck.objects.using(using).filter(pk=KEY_CHECK_PK).exists():
        return False
    if key_check_problem(using=using) is not None:
        return False
    write_key_check(using=using)
    return True


def unreadable_rows(
    model: type[models.Model], field_names: list[str], *, using: str = DEFAULT_DB_ALIAS
) -> Iterator[tuple[Any, list[str]]]:
    """(pk, the fields no key opens) for every row of `model` with such a field."""
    last_pk: Any = None
    while True:
        rows = stored_tokens(model, field_names, using=using).order_by("pk")
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:BATCH_SIZE])
        if not batch:
            return
        for pk, *tokens in batch:
            failed = [
                name
                for name, token in zip(field_names, tokens, strict=True)
                if token and not opens(token)
            ]
            if failed:
                yield pk, failed
        last_pk = batch[-1][0]
