from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Strategic plan")

    def ready(self):
        from core.media import register_upload
        from core.workflow import register_year_lock

        from .models import LegalAct, ProgressReport, ReportingYear

        register_year_lock(ReportingYear)
        register_upload(ProgressReport, "evidence_file", "activities.view_progressreport")
        # Acts are public documents: every signed-in reader may open their files.
        register_upload(LegalAct, "file", "activities.view_legalact")
