from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "alongside.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from alongside.reports.contact_days import keep_counts

        keep_counts()
