from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "alongside.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from alongside.matching.snapshot import watch_for_changes

        watch_for_changes()
