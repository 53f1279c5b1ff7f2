"""Re-encrypt every encrypted field with the primary (first) key of ALONGSIDE_FIELD_KEYS.

Rotation: put the new key first in ALONGSIDE_FIELD_KEYS (keep the old ones after it), restart,
run this command, then remove the old keys. Each model is rewritten in its own transaction, so
an interrupted run can simply be started again. Secrets kept outside encrypted fields (the
registered secret stores: the authenticator apps' secrets) are rewritten after the models. A
value no configured key opens is written back as it was (see `list_unreadable_fields`); the
key-check value is re-written under the new key last.
"""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import models, transaction

from alongside.core.field_keys import (
    BATCH_SIZE,
    models_with_encrypted_fields,
    secret_stores,
    unreadable_rows,
    write_key_check,
)


def rotate_model(model: type[models.Model], field_names: list[str]) -> int:
    """Rewrite every row's encrypted fields with the primary key; returns the rows rewritten.

    Values are decrypted on load (from_db_value, any configured key) and encrypted on save
    (get_prep_value, primary key only); a value no key opens is written back unchanged.
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
    # It must run when alongside.E008 refuses to start: that is when keys are being put right.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        unreadable = 0
        for model, field_names in models_with_encrypted_fields():
            count = rotate_model(model, field_names)
            total += count
            self.stdout.write(
                f"{model._meta.label}: {count} rows re-encrypted ({', '.join(field_names)})"
            )
            unreadable += sum(1 for _row in unreadable_rows(model, field_names))
        for store in secret_stores():
            count = store.rotate()
            total += count
            self.stdout.write(f"{store.label}: {count} rows re-encrypted")
            unreadable += len(store.unreadable())
        write_key_check()
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-encrypted."))
        if unreadable:
            self.stderr.write(
                f"{unreadable} rows hold values no configured key opens; they were left as "
                "stored. `manage.py list_unreadable_fields` lists them."
            )
