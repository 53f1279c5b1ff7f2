from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "alongside.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self) -> None:
        from alongside.core.metrics import on_scrape
        from alongside.health.metrics import readiness_and_queue

        on_scrape(readiness_and_queue)
