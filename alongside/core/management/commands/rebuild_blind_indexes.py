"""Write every blind index afresh with the first key of ALONGSIDE_INDEX_KEYS (ADR 0006).

Rotation: put the new key first in ALONGSIDE_INDEX_KEYS (keep the old one after it), restart,
run this command, then remove the old key. Searches try every key, so rows not yet rewritten
are still found while it runs. Each model is rewritten in its own transaction, so an
interrupted run can simply be started again. It prints counts, never a value or a token.
"""

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from alongside.core import blind_index


class Command(BaseCommand):
    help = "Rewrites every blind index with the first key in ALONGSIDE_INDEX_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        for model in apps.get_models():
            fields = blind_index.index_fields(model)
            if not fields or not model._meta.managed or model._meta.proxy:
                continue
            with transaction.atomic(using=model._base_manager.db):
                count = blind_index.rebuild(model, using=model._base_manager.db)
            total += count
            sources = ", ".join(field.source for field in fields)
            self.stdout.write(f"{model._meta.label}: {count} rows re-indexed ({sources})")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} rows re-indexed."))
