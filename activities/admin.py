from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, ExpectedResult, Goal, Measure, Section, StrategicPlan, Task


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name")
    search_fields = ("name", "short_name")


class SectionInline(admin.TabularInline):
    model = Section
    fields = ("number", "title", "position")
    extra = 0
    show_change_link = True


@admin.register(StrategicPlan)
class StrategicPlanAdmin(admin.ModelAdmin):
    list_display = ("title", "status", "repealed_on", "horizon_year")
    list_filter = ("status",)
    search_fields = ("title",)
    inlines = [SectionInline]


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


@admin.register(ExpectedResult)
class ExpectedResultAdmin(admin.ModelAdmin):
    list_display = ("position", "text", "section")
    list_select_related = ("section",)
