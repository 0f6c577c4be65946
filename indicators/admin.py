from django.contrib import admin

from core.admin import WorkflowItemAdmin, YearLockedAdmin, YearOpenForm

from .models import Indicator, IndicatorValue, Target
from .services import check_kind, check_target_kind


class IndicatorValueAdminForm(YearOpenForm):
    """The admin asks the same rule as the portal's form and the API: a number for a numeric
    indicator, a status (a whole year) for a milestone (services.check_kind)."""

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator")
        if indicator is not None:
            check_kind(
                indicator,
                cleaned.get("value"),
                cleaned.get("milestone_status"),
                cleaned.get("quarter"),
            )
        return cleaned


class TargetAdminForm(YearOpenForm):
    """A target row as the targets form writes it: a value for a numeric indicator, none for a
    milestone (services.check_target_kind)."""

    def clean(self):
        cleaned = super().clean()
        indicator = cleaned.get("indicator") or getattr(self.instance, "indicator", None)
        if indicator is not None and not cleaned.get("DELETE"):
            check_target_kind(indicator, cleaned.get("value"))
        return cleaned


class TargetInline(admin.TabularInline):
    model = Target
    form = TargetAdminForm
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = (
        "code", "name", "kind", "unit", "source", "computation", "accumulation", "department",
    )  # fmt: skip
    list_filter = ("kind", "source", "accumulation", "department", "expected_result__section")
    list_select_related = ("department",)
    search_fields = ("code", "name")
    raw_id_fields = ("expected_result",)
    inlines = [TargetInline]


@admin.register(Target)
class TargetAdmin(YearLockedAdmin):
    form = TargetAdminForm
    list_display = ("indicator", "year", "value")
    list_filter = ("year",)
    list_select_related = ("indicator",)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(WorkflowItemAdmin):
    list_display = (
        "indicator", "year", "quarter", "value", "milestone_status", "state", "author", "reviewer",
    )  # fmt: skip
    list_filter = ("state", "year")
    list_select_related = ("indicator", "author", "reviewer")
    raw_id_fields = ("indicator",)
    readonly_fields = ("created_at",)
    form = IndicatorValueAdminForm
