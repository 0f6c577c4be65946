from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards and the annual monitoring report")

    def ready(self):
        from . import services  # noqa: F401  (connects the corrective actions' daily reminders)
