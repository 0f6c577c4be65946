from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import YearLockedAdmin

from .models import CorrectiveAction, PublishedReport, ReasonForDeviation


@admin.register(ReasonForDeviation)
class ReasonForDeviationAdmin(YearLockedAdmin):
    list_display = ("indicator", "year", "cause", "author", "updated_at")
    list_filter = ("year", "cause")
    list_select_related = ("indicator", "author")
    raw_id_fields = ("indicator", "author")
    search_fields = ("indicator__code", "text")


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ("year", "published_at", "published_by")
    raw_id_fields = ("published_by",)


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(SimpleHistoryAdmin):
    """Read only: actions are added and marked done on the annual report and the dashboards,
    where the head's permission, the deviation rule and the closed years are checked."""

    list_display = ("reason", "text", "responsible", "due_on", "status", "done_on")
    list_filter = ("status",)
    list_select_related = ("reason",)
    raw_id_fields = ("reason", "author")
    search_fields = ("reason__indicator__code", "text", "responsible")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
