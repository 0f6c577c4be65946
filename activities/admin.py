from django.contrib import admin
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core.admin import WorkflowItemAdmin

from .models import (
    Department,
    ExpectedResult,
    Goal,
    LegalAct,
    Measure,
    MeasureWording,
    PlanRevision,
    ProgressReport,
    ReportingYear,
    Section,
    StrategicPlan,
    Task,
)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("number", "title", "position")
    extra = 0
    show_change_link = True


@admin.register(LegalAct)
class LegalActAdmin(admin.ModelAdmin):
    list_display = ("__str__", "title", "issuer", "illustrative")
    list_filter = ("kind", "illustrative")
    search_fields = ("number", "title", "issuer")
    date_hierarchy = "date"


class PlanRevisionInline(admin.TabularInline):
    """Revisions are made by importing a text under an act; here they are only read."""

    model = PlanRevision
    fields = ("role", "act", "effective_date", "created_at", "created_by")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class MeasureWordingInline(admin.TabularInline):
    model = MeasureWording
    fields = ("valid_from", "revision", "text")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "repealed_on", "horizon_year")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [PlanRevisionInline, SectionInline]


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


class TaskInline(admin.TabularInline):
    model = Task
    extra = 0


class ExpectedResultInline(admin.TabularInline):
    model = ExpectedResult
    extra = 0


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ("number", "title", "plan")
    list_filter = ("plan",)
    list_select_related = ("plan",)
    search_fields = ("number", "title")
    inlines = [GoalInline, TaskInline, ExpectedResultInline]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ("text", "section")
    list_select_related = ("section",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("number", "text", "section")
    list_select_related = ("section",)


@admin.register(Measure)
class MeasureAdmin(SimpleHistoryAdmin):
    list_display = ("code", "text", "section", "department", "status", "deadline")
    list_filter = ("section__plan", "status", "department")
    list_select_related = ("section", "department")
    search_fields = ("text",)
    filter_horizontal = ("tasks",)
    readonly_fields = ("in_force_from", "excluded_on", "excluded_by")
    inlines = [MeasureWordingInline]


@admin.register(ExpectedResult)
class ExpectedResultAdmin(admin.ModelAdmin):
    list_display = ("position", "text", "section")
    list_select_related = ("section",)


@admin.register(ProgressReport)
class ProgressReportAdmin(WorkflowItemAdmin):
    """Read reports and correct drafts; workflow changes go through the portal's pages so that
    the state, year lock and department rules apply."""

    list_display = ("measure", "year", "quarter", "percent_done", "state", "author", "reviewer")
    list_filter = ("state", "year", "measure__department")
    list_select_related = ("measure", "author", "reviewer")
    search_fields = ("text", "measure__text")
    raw_id_fields = ("measure", "author", "reviewer")


@admin.register(ReportingYear)
class ReportingYearAdmin(SimpleHistoryAdmin):
    list_display = ("year", "locked", "locked_by", "locked_at")
    list_select_related = ("locked_by",)
    readonly_fields = ("locked_by", "locked_at")

    def save_model(self, request, obj, form, change):
        if "locked" in form.changed_data or not change:
            obj.locked_by = request.user if obj.locked else None
            obj.locked_at = timezone.now() if obj.locked else None
        super().save_model(request, obj, form, change)
