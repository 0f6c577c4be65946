from django.contrib import admin

from core.admin import YearLockedAdmin

from .models import PublishedReport, ReasonForDeviation


@admin.register(ReasonForDeviation)
class ReasonForDeviationAdmin(YearLockedAdmin):
    list_display = ("indicator", "year", "author", "updated_at")
    list_filter = ("year",)
    list_select_related = ("indicator", "author")
    raw_id_fields = ("indicator", "author")
    search_fields = ("indicator__code", "text")


@admin.register(PublishedReport)
class PublishedReportAdmin(admin.ModelAdmin):
    list_display = ("year", "published_at", "published_by")
    raw_id_fields = ("published_by",)
