from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo programs built through every domain's services; sits above all of them."""

    name = "alongside.demo"
    label = "demo"
    verbose_name = _("Demo")
