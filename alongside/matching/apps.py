from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.intake.hooks import on_request_page
from alongside.matches.hooks import on_pair_check
from alongside.supporters.hooks import on_supporter_page


class MatchingConfig(AppConfig):
    name = "alongside.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from alongside.matching.queries import reasons_not_to_pair
        from alongside.matching.request_page import in_place, request_page_panel
        from alongside.matching.snapshot import watch_for_changes
        from alongside.matching.supporter_page import supporter_page_panel

        watch_for_changes()
        # The check that guards starting a match (matches cannot import matching).
        on_pair_check(reasons_not_to_pair)
        # The form on a supporter's page that matches them by hand (supporters cannot either).
        on_supporter_page(supporter_page_panel)
        # The shortlist and the rest of matching on a request's page (intake cannot either).
        on_request_page(request_page_panel, in_place=in_place)
