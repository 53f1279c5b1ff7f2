"""List the rows whose encrypted values no key in ALONGSIDE_FIELD_KEYS opens.

Per model: how many rows and their primary keys, never a value. Exits with status 1 when any
is found, so a deploy script or a monitor can act on it.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from alongside.core.field_keys import models_with_encrypted_fields, secret_stores, unreadable_rows


class Command(BaseCommand):
    help = (
        "Lists, per model, the rows holding encrypted values that no key in "
        "ALONGSIDE_FIELD_KEYS opens (primary keys only); exits 1 when there are any."
    )
    # It must run when alongside.E008 refuses to start: that is when it is needed most.
    requires_system_checks: list[str] = []

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model, field_names in models_with_encrypted_fields():
            found = list(unreadable_rows(model, field_names))
            if not found:
                continue
            total += len(found)
            fields = sorted({name for _pk, names in found for name in names})
            self.stdout.write(
                f"{model._meta.label}: {len(found)} unreadable rows ({', '.join(fields)}); "
                f"pk {', '.join(str(pk) for pk, _names in found)}"
            )
        for store in secret_stores():
            pks = store.unreadable()
            if pks:
                total += len(pks)
                self.stdout.write(
                    f"{store.label}: {len(pks)} unreadable rows; "
                    f"pk {', '.join(str(pk) for pk in pks)}"
                )
        if total:
            raise CommandError(
                f"{total} rows cannot be read with ALONGSIDE_FIELD_KEYS. Add the key they were "
                "written with (after the first) and run rotate_field_keys.",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS("Every encrypted value opens with the keys."))
