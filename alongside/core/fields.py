"""Model fields whose values are encrypted at rest (see core/encryption.py)."""

from collections.abc import Callable
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from alongside.core import encryption

REWRITE_BATCH_SIZE = 500


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with the field keys. It cannot be searched or ordered, only read.

    A stored value no configured key opens reads as an UnreadableValue (shown as "cannot be
    read: key missing") and is written back exactly as it was stored.
    """

    def get_prep_value(self, value: Any) -> Any:
        if isinstance(value, encryption.UnreadableValue):
            return value.token
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encryption.encrypt(str(value))

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> str | None:
        if value is None or value == "":
            return value
        where = f"{self.model._meta.label}.{self.name}" if hasattr(self, "model") else self.name
        return encryption.decrypt_or_mark(value, where=where)

    def save_form_data(self, instance: models.Model, data: Any) -> None:
        # A form that showed the marker and sent it back unchanged keeps the stored value.
        current = getattr(instance, self.attname, None)
        if isinstance(current, encryption.UnreadableValue) and data == current:
            return
        super().save_form_data(instance, data)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise TypeError(f"Encrypted fields cannot be searched with '{lookup_name}'.")
        return super().get_lookup(lookup_name)


class EncryptedCharField(EncryptedTextField):
    """A short encrypted value (an e-mail address, a phone number, a name)."""

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms

        kwargs.setdefault("form_class", forms.CharField)
        kwargs.setdefault("max_length", 300)
        return super().formfield(**kwargs)


def encrypt_in_place(model: type[models.Model], name: str, *, using: str) -> int:
    """Encrypt the plaintext stored in `name`, a text column of `model` (a migration's model,
    on which the column is still plain text), in keyset batches; returns how many rows. For
    the migration that makes a plaintext field an encrypted one."""
    return _rewrite(model, name, encryption.encrypt, using=using)


def decrypt_in_place(model: type[models.Model], name: str, *, using: str) -> int:
    """The reverse of `encrypt_in_place`: the plaintext back in the column. A value no key
    opens stops the migration (FieldDecryptionError) rather than leave ciphertext as a name."""
    return _rewrite(model, name, encryption.decrypt, using=using)


def _rewrite(
    model: type[models.Model], name: str, change: Callable[[str], str], *, using: str
) -> int:
    manager = model._base_manager.using(using)
    rewritten = 0
    last_pk: Any = None
    while True:
        rows = manager.order_by("pk").only("pk", name)
        if last_pk is not None:
            rows = rows.filter(pk__gt=last_pk)
        batch = list(rows[:REWRITE_BATCH_SIZE])
        if not batch:
            return rewritten
        stored = [row for row in batch if getattr(row, name)]
        for row in stored:
            setattr(row, name, change(getattr(row, name)))
        manager.bulk_update(stored, [name])
        rewritten += len(stored)
        last_pk = batch[-1].pk
