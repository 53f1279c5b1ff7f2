"""Model fields whose values are encrypted at rest (see core/encryption.py)."""

from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression

from alongside.core import encryption


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
