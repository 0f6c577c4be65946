from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners and ties")

    def ready(self):
        from core.media import register_upload

        from .models import Agreement

        register_upload(Agreement, "document", "partners.view_agreement")
