from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers as drf_serializers

from accounts.people import WORKFLOW_PEOPLE, WORKFLOW_PEOPLE_COLUMNS, person_names
from activities import filters
from activities.models import (
    Department,
    ExpectedResult,
    Goal,
    Measure,
    ProgressReport,
    Section,
    StrategicPlan,
    Task,
)
from activities.services import REPORT_FIELDS, progress_report_create, progress_report_update
from core.api.viewsets import ReadOnlyViewSet, ReadWriteViewSet, call_service
from core.api.workflow import WorkflowActionsMixin

from . import serializers


class DepartmentViewSet(ReadOnlyViewSet):
    queryset = Department.objects.order_by("name")
    serializer_class = serializers.DepartmentSerializer
    filterset_class = filters.DepartmentFilter
    ordering_fields = ["name", "updated_at", "id"]


class PlanViewSet(ReadOnlyViewSet):
    queryset = StrategicPlan.objects.order_by("title")
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["title", "updated_at", "id"]


class SectionViewSet(ReadOnlyViewSet):
    queryset = Section.objects.order_by("plan", "position", "number")
    serializer_class = serializers.SectionSerializer
    filterset_class = filters.SectionFilter
    ordering_fields = ["number", "position", "updated_at", "id"]


class GoalViewSet(ReadOnlyViewSet):
    queryset = Goal.objects.order_by("section", "position")
    serializer_class = serializers.GoalSerializer
    filterset_class = filters.GoalFilter
    ordering_fields = ["position", "updated_at", "id"]


class TaskViewSet(ReadOnlyViewSet):
    queryset = Task.objects.order_by("section", "number")
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    ordering_fields = ["number", "updated_at", "id"]


class ExpectedResultViewSet(ReadOnlyViewSet):
    queryset = ExpectedResult.objects.order_by("section", "position")
    serializer_class = serializers.ExpectedResultSerializer
    filterset_class = filters.ExpectedResultFilter
    ordering_fields = ["position", "updated_at", "id"]


class MeasureViewSet(ReadOnlyViewSet):
    queryset = Measure.objects.prefetch_related("tasks").order_by("section", "group", "number")
    serializer_class = serializers.MeasureSerializer
    filterset_class = filters.MeasureFilter
    # Measure.code ("group.number") for the values list.
    fast_list_expressions = {
        "code": Concat(
            Cast("group", CharField()),
            Value("."),
            Cast("number", CharField()),
            output_field=CharField(),
        )  # fmt: skip
    }
    ordering_fields = ["group", "number", "deadline", "updated_at", "id"]


class ProgressReportViewSet(WorkflowActionsMixin, ReadWriteViewSet):
    """Progress reports on measures. API clients see approved reports only; staff also see the
    pending reports of their own department (administrators: all)."""

    serializer_class = serializers.ProgressReportSerializer
    filterset_class = filters.ProgressReportFilter
    ordering_fields = ["year", "quarter", "updated_at", "id"]
    add_permission = "accounts.view_portal"  # the measure's rules decide, in the service
    change_permission = "activities.change_progressreport"

    # Who entered and reviewed a report: names for staff, null for API clients.
    fast_list_expressions = WORKFLOW_PEOPLE_COLUMNS

    def get_queryset(self):
        return (
            ProgressReport.objects.visible_to(self.request.user)
            .annotate(**person_names(self.request.user, **WORKFLOW_PEOPLE))
            .order_by("measure", "year", "quarter", "id")
        )

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        serializer.instance = call_service(
            progress_report_create,
            measure=data.pop("measure"),
            by=self.request.user,
            year=data.pop("year"),
            quarter=data.pop("quarter", None),
            text=data.pop("text"),
            percent_done=data.pop("percent_done"),
            **data,
        )

    def perform_update(self, serializer):
        values = {k: v for k, v in serializer.validated_data.items() if k in REPORT_FIELDS}
        measure = serializer.validated_data.get("measure", serializer.instance.measure)
        if measure.pk != serializer.instance.measure_id:
            raise drf_serializers.ValidationError(
                {"measure": [_("The measure of a report cannot be changed; add a new report.")]}
            )
        serializer.instance = call_service(
            progress_report_update, report=serializer.instance, by=self.request.user, **values
        )
