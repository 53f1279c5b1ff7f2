from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "alongside.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.core.signals import request_finished
        from django.db.models.signals import post_migrate
        from django.tasks.signals import task_finished

        from alongside.core.request_log import forget_request_id
        from alongside.core.task_results import forget_finished_result
        from config import checks  # noqa: F401  (registers the system checks)

        post_migrate.connect(record_the_field_key_in_use, sender=self)
        task_finished.connect(forget_finished_result, dispatch_uid="forget_finished_result")
        request_finished.connect(forget_request_id, dispatch_uid="forget_request_id")


def record_the_field_key_in_use(*, using: str, **kwargs: Any) -> None:
    """After migrate, write the key-check value once, so a start with wrong keys is refused."""
    from alongside.core.field_keys import write_key_check_if_missing

    write_key_check_if_missing(using=using)
