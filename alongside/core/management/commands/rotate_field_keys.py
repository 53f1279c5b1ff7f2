"""Re-encrypt every encrypted field with the primary (first) key of ALONGSIDE_FIELD_KEYS.

Rotation: put the new key first in ALONGSIDE_FIELD_KEYS (keep the old ones after it), restart,
run this command, then remove the old keys. Each model is rewritten in its own transaction, so
an interrupted run can simply be started again.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import models, transaction

from alongside.core.fields import EncryptedTextField

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


def rotate_model(model: type[models.Model], field_names: list[str]) -> int:
    """Rewrite every row's encrypted fields with the primary key; returns the rows rewritten.

    Values are decrypted on load (from_db_value, any configured key) and encrypted on save
    (get_prep_value, primary key only).
    """
    manager = model._base_manager
    rewritten = 0
    last_pk: Any = None
    with transaction.atomic(using=manager.db):
        # Keyset batches rather than one open cursor: SQLite gives no isolation between a
        # cursor and the writes made beside it on the same connection.
        while True:
            rows = manager.order_by("pk").only("pk", *field_names)
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows[:BATCH_SIZE])
            if not batch:
                break
            manager.bulk_update(batch, field_names)
            rewritten += len(batch)
            last_pk = batch[-1].pk
    return rewritten


class Command(BaseCommand):
    help = "Re-encrypts every encrypted field with the first key in ALONGSIDE_FIELD_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, field_names in models_with_encrypted_fields():
            count = rotate_model(model, field_names)
            total += count
            self.stdout.write(
                f"{model._meta.label}: {count} rows re-encrypted ({', '.join(field_names)})"
            )
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))
