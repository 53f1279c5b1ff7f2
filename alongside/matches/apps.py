from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from alongside.supporters.hooks import on_supporter_page, on_workload


class MatchesConfig(AppConfig):
    name = "alongside.matches"
    label = "matches"
    verbose_name = _("Matches")

    def ready(self) -> None:
        from alongside.matches.queries import supporter_page_panel, workloads_of

        # The hours so far on a supporter's page, and what each gave lately for the burnout
        # signals (supporters cannot import matches).
        on_supporter_page(lambda _request, supporter: supporter_page_panel(supporter))
        on_workload(workloads_of)
