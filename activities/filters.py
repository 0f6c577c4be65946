"""FilterSets of the plan structure, shared by the pages and the REST API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import QuarterFilter, UpdatedSinceFilterSet, YearFilter
from core.workflow import WorkflowState

from .models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    Section,
    StrategicPlan,
    Task,
)


class DepartmentFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Department
        fields = []


class PlanFilter(UpdatedSinceFilterSet):
    class Meta:
        model = StrategicPlan
        fields = ["status"]


class SectionFilter(UpdatedSinceFilterSet):
    class Meta:
        model = Section
        fields = ["plan", "parent", "number"]


class GoalFilter(UpdatedSinceFilterSet):
    plan = django_filters.NumberFilter(field_name="section__plan", label=_("plan"))

    class Meta:
        model = Goal
        fields = ["section"]


class TaskFilter(GoalFilter):
    class Meta:
        model = Task
        fields = ["section"]


class ExpectedResultFilter(GoalFilter):
    class Meta:
        model = ExpectedResult
        fields = ["section"]


class MeasureFilter(UpdatedSinceFilterSet):
    plan = django_filters.NumberFilter(field_name="section__plan", label=_("plan"))
    task = django_filters.NumberFilter(field_name="tasks", label=_("task"))
    late_on = django_filters.DateFilter(method="filter_late", label=_("late on (date)"))

    class Meta:
        model = Measure
        fields = ["section", "department", "status", "group"]

    def filter_late(self, queryset, name, value):
        return queryset.late(value)


class ProgressReportFilter(UpdatedSinceFilterSet):
    section = django_filters.NumberFilter(field_name="measure__section", label=_("section"))
    department = django_filters.NumberFilter(
        field_name="measure__department", label=_("department")
    )
    state = django_filters.ChoiceFilter(choices=WorkflowState.choices, label=_("state"))
    year = YearFilter(label=_("year"))
    quarter = QuarterFilter(label=_("quarter"))

    class Meta:
        model = ProgressReport
        fields = ["measure", "quarter", "state"]
