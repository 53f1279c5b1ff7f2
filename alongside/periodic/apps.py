from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeriodicConfig(AppConfig):
    name = "alongside.periodic"
    label = "periodic"
    verbose_name = _("Background jobs")
