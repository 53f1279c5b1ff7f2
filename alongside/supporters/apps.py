from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportersConfig(AppConfig):
    name = "alongside.supporters"
    label = "supporters"
    verbose_name = _("Supporters")

    def ready(self) -> None:
        from alongside.notifications.providers.hooks import on_person_page
        from alongside.programs.hooks import on_pipeline_changed
        from alongside.supporters.tasks import place_program_again_later
        from alongside.supporters.undeliverable import supporter_page_of_account

        # A program's steps or trainings changed: its supporters on their way may wait at
        # another step; the worker places them again once the change is committed.
        on_pipeline_changed(place_program_again_later)
        # A supporter's address bounced: the coordinators' list links to their page.
        on_person_page(supporter_page_of_account)
