from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared base every feature app builds on: the approval workflow, history, the data
    version cache, form and field helpers, uploads and the API's base classes. It imports no
    feature app; they register with it (year locks, uploads, watched models)."""

    name = "core"
    verbose_name = _("Shared base")

    def ready(self):
        from core.api import schema  # noqa: F401  (registers the schema's extensions)
