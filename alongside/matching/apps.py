from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.matches.hooks import on_pair_check


class MatchingConfig(AppConfig):
    name = "alongside.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from alongside.matching.queries import reasons_not_to_pair
        from alongside.matching.snapshot import watch_for_changes

        watch_for_changes()
        # The check that guards starting a match (matches cannot import matching).
        on_pair_check(reasons_not_to_pair)
