from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "alongside.periodic"
    label = "periodic"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        from alongside.core.metrics import on_scrape
        from alongside.periodic.metrics import job_runs

        # Read at each scrape of /health/metrics (docs/adr/0011).
        on_scrape(job_runs)
