from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "alongside.intake"
    label = "intake"
    verbose_name = _("Support requests")

    def ready(self) -> None:
        from alongside.intake.undeliverable import request_page_of_address
        from alongside.notifications.providers.hooks import on_person_page

        # A peer's address bounced: the coordinators' list links to their request.
        on_person_page(request_page_of_address)
