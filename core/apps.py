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

        set_empty_choice_labels()


def set_empty_choice_labels():
    """The empty choice of every select, in one place: Django's "- Select an option -" of
    forms, its "---------" that django-countries' fields take, and django-filter's "---------"
    of filters, all untranslated, read in Russian."""
    from django.db.models import fields
    from django_filters.conf import settings as filter_settings

    fields.BLANK_CHOICE_LABEL = _("— choose —")
    # django-countries imported the list itself: changed in place, not rebound.
    fields.BLANK_CHOICE_DASH[:] = [("", fields.BLANK_CHOICE_LABEL)]
    filter_settings.EMPTY_CHOICE_LABEL = _("— any —")
