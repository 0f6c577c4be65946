from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("Indicators")

    def ready(self):
        from core.media import register_upload

        from .models import IndicatorValue

        register_upload(IndicatorValue, "evidence_file", "indicators.view_indicatorvalue")
